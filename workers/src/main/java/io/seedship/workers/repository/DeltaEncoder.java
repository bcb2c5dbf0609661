package io.seedship.workers.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds a new chunk's delta against the same offsets of an earlier version of its stream (a file's
 * parent version, or the parent snapshot's tree stream): docs/repository-format.md §3. One per thread;
 * keeps the base chunk read last, since adjacent new chunks usually share it.
 */
final class DeltaEncoder implements AutoCloseable {

  /**
   * The earlier version of a stream: its chunks and where each starts, shared between threads. It also counts
   * the chunks in a row for which no delta paid: a stream rewritten rather than changed in place stops
   * costing a read of its old chunks after {@link #GIVE_UP_AFTER} of them.
   */
  record Base(List<ChunkId> chunks, long[] starts, long size, AtomicInteger missesInARow) {

    static final int GIVE_UP_AFTER = 4;

    /** The base for these chunks, or null when one of them is not in the index. */
    static Base of(ChunkIndex index, List<ChunkId> chunks) {
      long[] starts = new long[chunks.size()];
      long offset = 0;
      for (int i = 0; i < starts.length; i++) {
        ChunkLocation location = index.locate(chunks.get(i));
        if (location == null) {
          return null;
        }
        starts[i] = offset;
        offset += location.rawLength();
      }
      return new Base(chunks, starts, offset, new AtomicInteger());
    }

    /** Whether a chunk at {@code at} of the new stream may have a delta against this base. */
    boolean worthTrying(long at) {
      return at < size && missesInARow.get() < GIVE_UP_AFTER;
    }
  }

  private final Repository repository;
  private ChunkReader reader;
  private ChunkId lastBaseId;
  private byte[] lastBase;
  /** When the base read last is a delta itself: its description, parsed. */
  private ChunkDelta.Parsed lastBaseDelta;
  private byte[] old = new byte[0];

  DeltaEncoder(Repository repository) {
    this.repository = repository;
  }

  /**
   * The delta of data[off, off+len), found at offset {@code at} of its stream, against the base's bytes at
   * the same offsets; null when there is no base there, a base chunk cannot be read, or the delta would not
   * pay. A base chunk that is a delta itself is replaced by its own bases and runs (one level, always).
   */
  byte[] delta(Base base, long at, byte[] data, int off, int len) {
    if (base == null || at >= base.size()) {
      return null;
    }
    List<ChunkId> baseChunks = base.chunks();
    long[] baseStarts = base.starts();
    int oldLength = (int) Math.min(len, base.size() - at);
    if (old.length < oldLength) {
      old = new byte[Math.max(oldLength, 2 * old.length)];
    }
    List<ChunkDelta.Base> slices = new ArrayList<>();
    List<ChunkDelta.Run> inherited = new ArrayList<>();
    int k = Arrays.binarySearch(baseStarts, at);
    k = k >= 0 ? k : -k - 2;
    int filled = 0;
    try {
      for (; filled < oldLength && k < baseChunks.size(); k++) {
        ChunkId baseId = baseChunks.get(k);
        byte[] plain = readBase(baseId);
        int from = (int) (at + filled - baseStarts[k]);
        int take = Math.min(plain.length - from, oldLength - filled);
        System.arraycopy(plain, from, old, filled, take);
        if (lastBaseDelta == null) {
          slices.add(new ChunkDelta.Base(baseId, from, take));
        } else if (!flatten(lastBaseDelta, from, take, filled, filled + take == oldLength, slices, inherited)) {
          return null;
        }
        filled += take;
      }
    } catch (RepositoryException unreadable) {
      // A delta only saves space: a base that cannot be read back means storing the chunk whole.
      base.missesInARow().incrementAndGet();
      return null;
    }
    byte[] delta = ChunkDelta.describe(slices, inherited, data, off, len, old, filled);
    if (delta == null) {
      base.missesInARow().incrementAndGet();
    } else {
      base.missesInARow().set(0);
    }
    return delta;
  }

  /**
   * Expresses bytes [from, from+take) of a base that is a delta through that delta's own bases and runs,
   * placed at {@code at} of the new chunk, so the new delta stays one level deep. False when the range
   * reaches into the delta's zero padding before its end (not expressible as slices).
   */
  private static boolean flatten(ChunkDelta.Parsed delta, int from, int take, int at, boolean last,
                                 List<ChunkDelta.Base> slices, List<ChunkDelta.Run> inherited) {
    int end = from + take;
    if (end > delta.baseLength() && !last) {
      return false;
    }
    int offset = 0;
    for (ChunkDelta.Base base : delta.bases()) {
      int lo = Math.max(from, offset);
      int hi = Math.min(end, offset + base.length());
      if (lo < hi) {
        slices.add(new ChunkDelta.Base(base.id(), base.start() + (lo - offset), hi - lo));
      }
      offset += base.length();
    }
    for (ChunkDelta.Run run : delta.runs()) {
      int lo = Math.max(from, run.position());
      int hi = Math.min(end, run.position() + run.bytes().length);
      if (lo < hi) {
        inherited.add(new ChunkDelta.Run(at + (lo - from), Arrays.copyOfRange(run.bytes(), lo - run.position(), hi - run.position())));
      }
    }
    return true;
  }

  /** A base chunk's plaintext; {@link #lastBaseDelta} tells whether it is stored as a delta. */
  private byte[] readBase(ChunkId id) {
    if (!id.equals(lastBaseId)) {
      if (reader == null) {
        reader = repository.newReader();
      }
      lastBaseId = null;
      lastBase = reader.read(id);
      try {
        lastBaseDelta = reader.lastWasDelta() ? ChunkDelta.parse(reader.lastDelta()) : null;
      } catch (IllegalArgumentException malformed) {
        throw new ChunkCorruptedException("Chunk " + id.shortHex() + " has a malformed delta: " + malformed.getMessage());
      }
      lastBaseId = id;
    }
    return lastBase;
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
  }
}

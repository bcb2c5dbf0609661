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
  record Base(List<ChunkId> chunks, ChunkLocation[] locations, long[] starts, long size, AtomicInteger missesInARow) {

    static final int GIVE_UP_AFTER = 4;

    /** The base for these chunks, or null when one of them is not in the index. */
    static Base of(ChunkIndex index, List<ChunkId> chunks) {
      long[] starts = new long[chunks.size()];
      ChunkLocation[] locations = new ChunkLocation[chunks.size()];
      long offset = 0;
      for (int i = 0; i < starts.length; i++) {
        ChunkLocation location = index.locate(chunks.get(i));
        if (location == null) {
          return null;
        }
        locations[i] = location;
        starts[i] = offset;
        offset += location.rawLength();
      }
      return new Base(chunks, locations, starts, offset, new AtomicInteger());
    }

    /** Whether a chunk at {@code at} of the new stream may have a delta against this base. */
    boolean worthTrying(long at) {
      return at < size && missesInARow.get() < GIVE_UP_AFTER;
    }
  }

  private final Repository repository;
  /** Null: every delta is found by reading its bases back. */
  private final SignatureStore signatures;
  private final BlockSigner signer;
  private ChunkReader reader;
  private ChunkId lastBaseId;
  private byte[] lastBase;
  /** When the base read last is a delta itself: its description, parsed. */
  private ChunkDelta.Parsed lastBaseDelta;
  private byte[] old = new byte[0];

  DeltaEncoder(Repository repository) {
    this(repository, null);
  }

  /** {@code signatures}: where block signatures of base chunks are looked up first (null: none). */
  DeltaEncoder(Repository repository, SignatureStore signatures) {
    this.repository = repository;
    this.signatures = signatures;
    this.signer = signatures == null ? null : new BlockSigner(repository.key());
  }

  /** Why a delta was not found through signatures. */
  private static final byte[] NO_SIGNATURE = new byte[0];

  /**
   * Hashes of the new chunk's own blocks that the last {@link #delta} computed on its way (where a base block lay on the
   * chunk's block grid: always for a file of one chunk), so that {@link #signatureOf} does not hash them again.
   */
  private long[] newBlocks = new long[0];
  private boolean[] newBlockKnown = new boolean[0];
  private byte[] newBlocksOf;
  private int newBlocksOffset;

  /**
   * The delta of data[off, off+len), found at offset {@code at} of its stream, against the base's bytes at
   * the same offsets; null when there is no base there, a base chunk cannot be read, or the delta would not
   * pay. A base chunk that is a delta itself is replaced by its own bases and runs (one level, always).
   */
  byte[] delta(Base base, long at, byte[] data, int off, int len) {
    newBlocksOf = null;
    if (base == null || at >= base.size()) {
      return null;
    }
    List<ChunkId> baseChunks = base.chunks();
    long[] baseStarts = base.starts();
    int oldLength = (int) Math.min(len, base.size() - at);
    if (signatures != null) {
      byte[] found = bySignatures(base, at, data, off, len, oldLength);
      if (found != NO_SIGNATURE) {
        counted(base, found);
        return found;
      }
    }
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
    return counted(base, ChunkDelta.describe(slices, inherited, data, off, len, old, filled));
  }

  /**
   * The signature of chunk {@code id} = data[off, off+len) just given to {@link #delta}, stored as {@code delta} (null:
   * whole): the block hashes that call computed are taken over, the others computed.
   */
  ChunkSignature signatureOf(ChunkId id, byte[] data, int off, int len, byte[] delta) {
    BlockSigner hasher = signer != null ? signer : new BlockSigner(repository.key());
    long[] blocks = new long[ChunkSignature.blockCount(len)];
    boolean reuse = newBlocksOf == data && newBlocksOffset == off;
    for (int b = 0; b < blocks.length; b++) {
      int at = b * ChunkSignature.BLOCK;
      blocks[b] = reuse && newBlockKnown[b] ? newBlocks[b] : hasher.hash(data, off + at, Math.min(ChunkSignature.BLOCK, len - at));
    }
    return delta == null ? ChunkSignature.whole(id, len, blocks) : ChunkSignature.ofDelta(id, len, ChunkDelta.parse(delta), blocks);
  }

  private static byte[] counted(Base base, byte[] delta) {
    if (delta == null) {
      base.missesInARow().incrementAndGet();
    } else {
      base.missesInARow().set(0);
    }
    return delta;
  }

  /**
   * The delta found without reading the bases: a block of a base chunk whose signature equals the hash of the new
   * bytes at the same offsets is taken from the base; every other byte (blocks that differ, blocks only partly under
   * the new chunk, a base delta's literal runs, bytes past the base's end) is a literal from the new chunk. Null when
   * the delta would not pay; {@link #NO_SIGNATURE} when a base chunk has no signature (the caller reads it back).
   */
  private byte[] bySignatures(Base base, long at, byte[] data, int off, int len, int oldLength) {
    int count = ChunkSignature.blockCount(len);
    if (newBlocks.length < count) {
      newBlocks = new long[count];
      newBlockKnown = new boolean[count];
    }
    Arrays.fill(newBlockKnown, 0, count, false);
    newBlocksOf = data;
    newBlocksOffset = off;
    List<ChunkDelta.Base> slices = new ArrayList<>();
    List<ChunkSignature.Range> literal = new ArrayList<>();
    long[] baseStarts = base.starts();
    int k = Arrays.binarySearch(baseStarts, at);
    k = k >= 0 ? k : -k - 2;
    int filled = 0;
    int sliced = 0;
    for (; filled < oldLength && k < baseStarts.length; k++) {
      ChunkLocation location = base.locations()[k];
      ChunkSignature signature = location.type() == PackEntry.DATA ? signatures.find(location) : null;
      if (signature == null) {
        return NO_SIGNATURE;
      }
      int from = (int) (at + filled - baseStarts[k]);
      int take = Math.min(signature.rawLength() - from, oldLength - filled);
      if (!signature.delta()) {
        slices.add(new ChunkDelta.Base(signature.id(), from, take));
        sliced += take;
      } else {
        if (sliced != filled) {
          return null; // an earlier base delta's zero padding lies inside the new chunk: not expressible as slices
        }
        sliced += flattenSlices(signature, from, take, slices);
        for (ChunkSignature.Range run : signature.runs()) {
          int lo = Math.max(from, run.position());
          int hi = Math.min(from + take, run.end());
          if (lo < hi) {
            literal.add(new ChunkSignature.Range(filled + lo - from, hi - lo));
          }
        }
      }
      int end = from + take;
      for (int block = from / ChunkSignature.BLOCK; block * ChunkSignature.BLOCK < end; block++) {
        int blockStart = block * ChunkSignature.BLOCK;
        int blockEnd = Math.min(blockStart + ChunkSignature.BLOCK, signature.rawLength());
        int lo = Math.max(blockStart, from);
        int hi = Math.min(blockEnd, end);
        int position = filled + lo - from;
        if (lo != blockStart || hi != blockEnd) {
          literal.add(new ChunkSignature.Range(position, hi - lo)); // only partly under the new chunk
          continue;
        }
        long hash = signer.hash(data, off + position, hi - lo);
        if (position % ChunkSignature.BLOCK == 0 && hi - lo == Math.min(ChunkSignature.BLOCK, len - position)) {
          newBlocks[position / ChunkSignature.BLOCK] = hash;
          newBlockKnown[position / ChunkSignature.BLOCK] = true;
        }
        if (hash != signature.blocks()[block]) {
          literal.add(new ChunkSignature.Range(position, hi - lo));
        }
      }
      filled += take;
    }
    if (sliced < len) {
      literal.add(new ChunkSignature.Range(sliced, len - sliced)); // past the bases' slices: zero padding to write over
    }
    return ChunkDelta.withLiterals(slices, merged(literal), data, off, len);
  }

  /** Bytes [from, from+take) of a base stored as a delta, as slices of that delta's own bases; returns their length. */
  private static int flattenSlices(ChunkSignature delta, int from, int take, List<ChunkDelta.Base> slices) {
    return addSlices(delta.bases(), from, Math.min(from + take, delta.baseLength()), slices);
  }

  /** Bytes [from, end) of the concatenated {@code bases} as slices of them, added to {@code slices}; returns their length. */
  private static int addSlices(List<ChunkDelta.Base> bases, int from, int end, List<ChunkDelta.Base> slices) {
    int offset = 0;
    int added = 0;
    for (ChunkDelta.Base base : bases) {
      int lo = Math.max(from, offset);
      int hi = Math.min(end, offset + base.length());
      if (lo < hi) {
        slices.add(new ChunkDelta.Base(base.id(), base.start() + (lo - offset), hi - lo));
        added += hi - lo;
      }
      offset += base.length();
    }
    return added;
  }

  /** The ranges sorted, with overlapping and touching ones joined. */
  private static List<ChunkSignature.Range> merged(List<ChunkSignature.Range> ranges) {
    ranges.sort((a, b) -> Integer.compare(a.position(), b.position()));
    List<ChunkSignature.Range> merged = new ArrayList<>(ranges.size());
    for (ChunkSignature.Range range : ranges) {
      ChunkSignature.Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && range.position() <= last.end()) {
        merged.set(merged.size() - 1, new ChunkSignature.Range(last.position(), Math.max(last.end(), range.end()) - last.position()));
      } else if (range.length() > 0) {
        merged.add(range);
      }
    }
    return merged;
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
    addSlices(delta.bases(), from, end, slices);
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

package io.seedship.workers.repository;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk stored as the difference to bytes the repository already holds (docs/repository-format.md §3):
 * slices of base chunks, concatenated, then runs of literal bytes written over them. Used for a new
 * chunk of a file that changed in place since the parent snapshot, against the parent's chunks at the
 * same file offsets. Bases are always stored whole (depth 1), so a restore reads at most one level.
 */
final class ChunkDelta {

  /** A slice [start, start+length) of a base chunk's plaintext. */
  record Base(ChunkId id, int start, int length) {
  }

  /** Literal bytes written at {@code position} of the chunk. */
  record Run(int position, byte[] bytes) {
  }

  /** A parsed delta: its base slices (concatenated, then padded with zeros) and its runs, in order. */
  record Parsed(List<Base> bases, List<Run> runs) {
    int baseLength() {
      int total = 0;
      for (Base base : bases) {
        total += base.length();
      }
      return total;
    }
  }

  /** Reads a base chunk's plaintext; the reader refuses bases that are deltas themselves. */
  interface BaseReader {
    byte[] read(ChunkId id);
  }

  static final byte VERSION = 1;
  /** Equal stretches shorter than this do not split a literal run: a run costs 8 bytes of header. */
  private static final int MIN_GAP = 16;
  /**
   * A delta is used only when its literals are at most this share of the chunk. High on purpose: a chunk
   * that is mostly new would otherwise be stored whole with its unchanged rest, as much as the delta saves.
   */
  private static final double MAX_LITERAL_SHARE = 0.9;

  private ChunkDelta() {
  }

  /**
   * The delta of chunk[off, off+len) against old[0, oldLength) (the bases' slices concatenated), or null
   * when it would not pay: more than 90 % of the chunk differs.
   */
  static byte[] describe(List<Base> bases, byte[] chunk, int off, int len, byte[] old, int oldLength) {
    return describe(bases, List.of(), chunk, off, len, old, oldLength);
  }

  /**
   * As {@link #describe(List, byte[], int, int, byte[], int)}, where {@code old} is what the bases with the
   * {@code inherited} runs written over them give (a delta of a delta, flattened to one level).
   */
  static byte[] describe(List<Base> bases, List<Run> inherited, byte[] chunk, int off, int len, byte[] old, int oldLength) {
    List<int[]> runs = new ArrayList<>();
    long literals = 0;
    for (Run run : inherited) {
      literals += run.bytes().length;
    }
    int limit = (int) (len * MAX_LITERAL_SHARE);
    if (literals > limit) {
      return null;
    }
    int i = 0;
    while (i < len) {
      if (i < oldLength && chunk[off + i] == old[i]) {
        i++;
        continue;
      }
      int start = i;
      int lastDiff = i;
      while (i < len && i - lastDiff < MIN_GAP) {
        if (i >= oldLength || chunk[off + i] != old[i]) {
          lastDiff = i;
        }
        i++;
      }
      int end = lastDiff + 1;
      runs.add(new int[] {start, end - start});
      literals += end - start;
      if (literals > limit) {
        return null;
      }
      i = end;
    }
    return write(bases, inherited, runs, chunk, off, literals);
  }

  /**
   * The delta of chunk[off, off+len) that takes the {@code literal} ranges (sorted, not overlapping) from the chunk
   * and the rest from the bases' slices, or null when the literals are more than 90 % of the chunk. For a caller
   * that knows where the chunk differs without the bases' bytes (block signatures).
   */
  static byte[] withLiterals(List<Base> bases, List<ChunkSignature.Range> literal, byte[] chunk, int off, int len) {
    long literals = 0;
    List<int[]> runs = new ArrayList<>(literal.size());
    for (ChunkSignature.Range range : literal) {
      literals += range.length();
      runs.add(new int[] {range.position(), range.length()});
    }
    return literals > (int) (len * MAX_LITERAL_SHARE) ? null : write(bases, List.of(), runs, chunk, off, literals);
  }

  private static byte[] write(List<Base> bases, List<Run> inherited, List<int[]> runs, byte[] chunk, int off, long literals) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) literals + 64 + bases.size() * 40 + runs.size() * 8);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeShort(bases.size());
      for (Base base : bases) {
        out.write(base.id().bytes());
        out.writeInt(base.start());
        out.writeInt(base.length());
      }
      out.writeInt(inherited.size() + runs.size());
      for (Run run : inherited) {
        out.writeInt(run.position());
        out.writeInt(run.bytes().length);
        out.write(run.bytes());
      }
      for (int[] run : runs) {
        out.writeInt(run[0]);
        out.writeInt(run[1]);
        out.write(chunk, off + run[0], run[1]);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
  }

  /** The bases and runs of a delta description; throws {@link IllegalArgumentException} when malformed. */
  static Parsed parse(byte[] delta) {
    try {
      ByteBuffer in = ByteBuffer.wrap(delta);
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown delta version");
      }
      int baseCount = in.getShort() & 0xffff;
      List<Base> bases = new ArrayList<>(baseCount);
      for (int b = 0; b < baseCount; b++) {
        byte[] id = new byte[ChunkId.LENGTH];
        in.get(id);
        bases.add(new Base(new ChunkId(id), in.getInt(), in.getInt()));
      }
      int runCount = in.getInt();
      List<Run> runs = new ArrayList<>();
      for (int r = 0; r < runCount; r++) {
        int position = in.getInt();
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
          throw new IllegalArgumentException("literal run cut short");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        runs.add(new Run(position, bytes));
      }
      return new Parsed(bases, runs);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("delta cut short", e);
    }
  }

  /**
   * Rebuilds the chunk into out[0, rawLength) from its delta. Throws {@link IllegalArgumentException}
   * when the delta is malformed (the caller turns it into a corruption error).
   */
  static void apply(byte[] delta, int length, BaseReader bases, byte[] out, int rawLength) {
    try {
      ByteBuffer in = ByteBuffer.wrap(delta, 0, length);
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown delta version");
      }
      int baseCount = in.getShort() & 0xffff;
      int at = 0;
      for (int b = 0; b < baseCount; b++) {
        byte[] id = new byte[ChunkId.LENGTH];
        in.get(id);
        int start = in.getInt();
        int sliceLength = in.getInt();
        byte[] base = bases.read(new ChunkId(id));
        if (start < 0 || sliceLength < 0 || start > base.length - sliceLength || sliceLength > rawLength - at) {
          throw new IllegalArgumentException("base slice out of bounds");
        }
        System.arraycopy(base, start, out, at, sliceLength);
        at += sliceLength;
      }
      java.util.Arrays.fill(out, at, rawLength, (byte) 0);
      int runs = in.getInt();
      for (int r = 0; r < runs; r++) {
        int position = in.getInt();
        int runLength = in.getInt();
        if (position < 0 || runLength < 0 || position > rawLength - runLength) {
          throw new IllegalArgumentException("literal run out of bounds");
        }
        in.get(out, position, runLength);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after the delta");
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("delta cut short", e);
    }
  }
}

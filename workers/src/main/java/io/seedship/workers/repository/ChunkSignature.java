package io.seedship.workers.repository;

import java.util.List;

/**
 * What a later backup needs of a stored chunk to find a delta against it without reading it back
 * (docs/repository-format.md §9): a keyed 64-bit hash of each {@link #BLOCK}-byte block of its plaintext, and,
 * when the chunk is stored as a delta itself, that delta's base slices and where its literal runs lie, so a
 * new delta against it can name those bases instead (deltas stay one level deep).
 *
 * @param bases the delta's base slices, in order; empty for a chunk stored whole
 * @param runs  where the delta's literal runs lie (position, length); empty for a chunk stored whole
 */
record ChunkSignature(ChunkId id, int rawLength, boolean delta, List<ChunkDelta.Base> bases, List<Range> runs, long[] blocks) {

  /** Block size of the signatures: an in-place change of n bytes costs at most n + 2 × BLOCK bytes of literals. */
  static final int BLOCK = 1024;

  /** Bytes [position, position+length) of a chunk. */
  record Range(int position, int length) {
    int end() {
      return position + length;
    }
  }

  ChunkSignature {
    bases = List.copyOf(bases);
    runs = List.copyOf(runs);
    if (blocks.length != blockCount(rawLength)) {
      throw new IllegalArgumentException(blocks.length + " block hashes for " + rawLength + " bytes");
    }
  }

  static int blockCount(int rawLength) {
    return (rawLength + BLOCK - 1) / BLOCK;
  }

  /** The signature of a chunk stored whole. */
  static ChunkSignature whole(ChunkId id, int rawLength, long[] blocks) {
    return new ChunkSignature(id, rawLength, false, List.of(), List.of(), blocks);
  }

  /** The signature of a chunk stored as the delta {@code parsed}. */
  static ChunkSignature ofDelta(ChunkId id, int rawLength, ChunkDelta.Parsed parsed, long[] blocks) {
    List<Range> runs = parsed.runs().stream().map(r -> new Range(r.position(), r.bytes().length)).toList();
    return new ChunkSignature(id, rawLength, true, parsed.bases(), runs, blocks);
  }

  /** The sum of the delta's base slices: where its zero padding (always under runs) begins. */
  int baseLength() {
    int total = 0;
    for (ChunkDelta.Base base : bases) {
      total += base.length();
    }
    return total;
  }
}

package io.seedship.workers.repository;

/**
 * Sees a pack's bytes while it is being written (docs/vault.md §3): each full block of {@link #blockSize()} bytes at a
 * block boundary, in order, so a vault backup can start uploading a pack before it is finished. The pack's file stays
 * what counts: a block seen here may belong to a pack that is then abandoned.
 */
public interface PackTap {

  /** No tap. */
  PackTap NONE = new PackTap() {
    @Override
    public int blockSize() {
      return 0;
    }

    @Override
    public byte[] fullBlock(RandomId pack, int index, byte[] block) {
      return block;
    }
  };

  /** Block size; 0: the tap wants nothing. */
  int blockSize();

  /**
   * Bytes [index × blockSize, (index + 1) × blockSize) of {@code pack}, in a new array the tap may keep. Called on the
   * packing thread: it must not wait for the network. Returns an array of {@link #blockSize()} bytes for the next block
   * (a fresh one when it keeps this one).
   */
  byte[] fullBlock(RandomId pack, int index, byte[] block);
}

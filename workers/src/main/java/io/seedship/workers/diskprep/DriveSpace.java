package io.seedship.workers.diskprep;

/**
 * Space accounting on a drive (docs/drive-format.md §6): a file's stored length rounded to file system
 * blocks, plus its share of journal and manifest; a fixed reserve for the header and file system.
 */
final class DriveSpace {

  static final long RESERVE = 64 * 1024;
  private static final long FS_BLOCK = 4096;

  private DriveSpace() {
  }

  static long costOf(long size) {
    long stored = ChunkAead.storedLength(size);
    long rounded = (stored + FS_BLOCK - 1) / FS_BLOCK * FS_BLOCK;
    return rounded + 512 + 200 + 33L * Block.blockCount(size);
  }
}

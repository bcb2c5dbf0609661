package io.seedship.workers.diskprep;

/**
 * Progress of a preparation: while writing, bytes of the whole job on drives; while verifying, bytes of
 * the current drive read back.
 */
public record DiskPrepProgress(Phase phase, String driveId, int filesDone, int filesTotal, long bytesDone, long bytesTotal,
                               double bytesPerSecond) {

  /**
   * What the preparation is doing now: writing files, forcing the last group of written files to the drive
   * and journaling them (between writing and verifying), verifying the drive, a drive sealed, all done.
   */
  public enum Phase { WRITING, FORCING, VERIFYING, SEALED, DONE }

  public double fraction() {
    return bytesTotal <= 0 ? 1 : Math.min(1, (double) bytesDone / bytesTotal);
  }
}

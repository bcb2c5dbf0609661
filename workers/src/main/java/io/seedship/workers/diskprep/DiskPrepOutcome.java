package io.seedship.workers.diskprep;

import java.util.List;

/** How a run of disk preparation ended, short of an error: every file on sealed drives, or a drive full. */
public sealed interface DiskPrepOutcome {

  /** The sealed drives of the job, first drive first. */
  List<PreparedDrive> drives();

  /** Every staged file is on a sealed, verified drive. */
  record AllDrivesPrepared(List<PreparedDrive> drives) implements DiskPrepOutcome {
  }

  /**
   * The given drives are sealed and full; {@code bytesRemaining} staged bytes in {@code filesRemaining}
   * files still need another drive, of at least {@code smallestDriveBytes}.
   */
  record DriveFull(String fullDriveId, long bytesRemaining, int filesRemaining, long smallestDriveBytes,
                   List<PreparedDrive> drives) implements DiskPrepOutcome {
  }
}

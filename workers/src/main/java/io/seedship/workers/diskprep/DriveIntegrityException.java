package io.seedship.workers.diskprep;

/** Base of what reading a prepared drive detects: the drive does not hold what was written. */
public class DriveIntegrityException extends DiskPrepException {

  public DriveIntegrityException(String message) {
    super(message);
  }

  public DriveIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}

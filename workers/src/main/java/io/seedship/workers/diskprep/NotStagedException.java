package io.seedship.workers.diskprep;

/** The staging location holds no finished Seedship repository for the seeding. */
public class NotStagedException extends DiskPrepException {

  public NotStagedException(String message) {
    super(message);
  }

  public NotStagedException(String message, Throwable cause) {
    super(message, cause);
  }
}

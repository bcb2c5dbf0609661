package io.seedship.workers.diskprep;

/** Another preparation of the same import job is running. */
public class PreparationLockedException extends DiskPrepException {

  public PreparationLockedException(String message) {
    super(message);
  }

  public PreparationLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}

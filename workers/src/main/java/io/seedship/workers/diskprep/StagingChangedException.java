package io.seedship.workers.diskprep;

/** A staged file changed size since the preparation's plan was made. */
public class StagingChangedException extends DiskPrepException {

  public StagingChangedException(String message) {
    super(message);
  }

  public StagingChangedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.diskprep;

/** An import job holds at most 10 drives. */
public class TooManyDrivesException extends DriveRejectedException {

  public TooManyDrivesException(String message) {
    super(message);
  }

  public TooManyDrivesException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.datacenter;

/** A tracking number already given to another import job. */
public class DuplicateTrackingNumberException extends ImportJobRefusedException {

  public DuplicateTrackingNumberException(String message) {
    super(message);
  }

  public DuplicateTrackingNumberException(String message, Throwable cause) {
    super(message, cause);
  }
}

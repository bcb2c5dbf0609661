package io.seedship.workers.diskprep;

/** The drive holds other data and formatting was not confirmed. */
public class ForeignDataException extends DriveRejectedException {

  public ForeignDataException(String message) {
    super(message);
  }

  public ForeignDataException(String message, Throwable cause) {
    super(message, cause);
  }
}

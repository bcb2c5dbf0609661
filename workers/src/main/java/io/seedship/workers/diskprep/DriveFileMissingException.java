package io.seedship.workers.diskprep;

/** A data file listed in the manifest is not on the drive. */
public class DriveFileMissingException extends DriveIntegrityException {

  public DriveFileMissingException(String message) {
    super(message);
  }

  public DriveFileMissingException(String message, Throwable cause) {
    super(message, cause);
  }
}

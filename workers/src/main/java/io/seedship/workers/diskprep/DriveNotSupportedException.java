package io.seedship.workers.diskprep;

/** Not a SATA HDD/SSD, larger than 10 TB, of unknown type, or overlapping the staging location or key store. */
public class DriveNotSupportedException extends DriveRejectedException {

  public DriveNotSupportedException(String message) {
    super(message);
  }

  public DriveNotSupportedException(String message, Throwable cause) {
    super(message, cause);
  }
}

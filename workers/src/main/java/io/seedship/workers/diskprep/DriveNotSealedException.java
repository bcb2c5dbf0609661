package io.seedship.workers.diskprep;

/** The drive's preparation never finished: no SEALED record. */
public class DriveNotSealedException extends DriveIntegrityException {

  public DriveNotSealedException(String message) {
    super(message);
  }

  public DriveNotSealedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.diskprep;

/** The recovery password does not unlock the drive, or its volume header was changed. */
public class WrongUnlockSecretException extends DriveIntegrityException {

  public WrongUnlockSecretException(String message) {
    super(message);
  }

  public WrongUnlockSecretException(String message, Throwable cause) {
    super(message, cause);
  }
}

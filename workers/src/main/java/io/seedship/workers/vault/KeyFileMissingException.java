package io.seedship.workers.vault;

/** The protection's repository key file is not in this worker's key store. */
public class KeyFileMissingException extends VaultException {

  public KeyFileMissingException(String message) {
    super(message);
  }
}

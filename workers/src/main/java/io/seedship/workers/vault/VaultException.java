package io.seedship.workers.vault;

/** A vault operation that cannot go on; the message says what happened and what to do (never a secret). */
public class VaultException extends RuntimeException {

  public VaultException(String message) {
    super(message);
  }

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }
}

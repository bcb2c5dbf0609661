package io.seedship.workers.datacenter;

/** A drive's unlock secret reference does not resolve to a secret. */
public class UnlockSecretUnavailableException extends RuntimeException {

  public UnlockSecretUnavailableException(String message) {
    super(message);
  }

  public UnlockSecretUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

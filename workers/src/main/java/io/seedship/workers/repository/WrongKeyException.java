package io.seedship.workers.repository;

/** The passphrase or key file does not open this repository. */
public class WrongKeyException extends RepositoryException {

  public WrongKeyException(String message) {
    super(message);
  }

  public WrongKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}

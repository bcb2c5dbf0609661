package io.seedship.workers.repository;

/** Base of every problem the backup engine reports; the message says what is wrong and what to do. */
public class RepositoryException extends RuntimeException {

  public RepositoryException(String message) {
    super(message);
  }

  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

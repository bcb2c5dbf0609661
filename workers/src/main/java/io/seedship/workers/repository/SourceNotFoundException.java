package io.seedship.workers.repository;

/** The backup source does not exist. */
public class SourceNotFoundException extends RepositoryException {

  public SourceNotFoundException(String message) {
    super(message);
  }

  public SourceNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}

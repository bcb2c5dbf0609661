package io.seedship.workers.repository;

/** The backup source cannot be read. */
public class SourceUnreadableException extends RepositoryException {

  public SourceUnreadableException(String message) {
    super(message);
  }

  public SourceUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}

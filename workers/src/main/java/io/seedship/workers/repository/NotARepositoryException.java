package io.seedship.workers.repository;

/** The folder is not a Seedship repository, or it is damaged. */
public class NotARepositoryException extends RepositoryException {

  public NotARepositoryException(String message) {
    super(message);
  }

  public NotARepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

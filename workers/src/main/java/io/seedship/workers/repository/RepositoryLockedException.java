package io.seedship.workers.repository;

/** Another process is writing this repository. */
public class RepositoryLockedException extends RepositoryException {

  public RepositoryLockedException(String message) {
    super(message);
  }

  public RepositoryLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}

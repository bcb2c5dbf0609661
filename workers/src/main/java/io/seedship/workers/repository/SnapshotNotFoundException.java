package io.seedship.workers.repository;

/** The requested snapshot does not exist. */
public class SnapshotNotFoundException extends RepositoryException {

  public SnapshotNotFoundException(String message) {
    super(message);
  }

  public SnapshotNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.repository;

/** A pack file was changed after it was written (authentication failed). */
public class PackTamperedException extends RepositoryException {

  public PackTamperedException(String message) {
    super(message);
  }

  public PackTamperedException(String message, Throwable cause) {
    super(message, cause);
  }
}

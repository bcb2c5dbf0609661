package io.seedship.workers.repository;

/** A pack file is shorter than recorded or its trailer is cut off. */
public class PackTruncatedException extends RepositoryException {

  public PackTruncatedException(String message) {
    super(message);
  }

  public PackTruncatedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.repository;

/** A pack file that the index lists is gone. */
public class PackMissingException extends RepositoryException {

  public PackMissingException(String message) {
    super(message);
  }

  public PackMissingException(String message, Throwable cause) {
    super(message, cause);
  }
}

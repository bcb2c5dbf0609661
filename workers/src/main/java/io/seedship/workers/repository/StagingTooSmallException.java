package io.seedship.workers.repository;

/** The staging location has too little free space for the backup. */
public class StagingTooSmallException extends RepositoryException {

  public StagingTooSmallException(String message) {
    super(message);
  }

  public StagingTooSmallException(String message, Throwable cause) {
    super(message, cause);
  }
}

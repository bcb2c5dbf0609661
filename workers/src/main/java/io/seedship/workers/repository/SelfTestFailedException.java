package io.seedship.workers.repository;

/** The worker's start-up self-test restored other bytes than it backed up, or could not back up at all. */
public final class SelfTestFailedException extends RepositoryException {

  public SelfTestFailedException(String message) {
    super(message);
  }

  public SelfTestFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

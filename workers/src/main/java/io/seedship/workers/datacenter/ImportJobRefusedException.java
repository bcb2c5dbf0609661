package io.seedship.workers.datacenter;

/** A request the service refuses; the message says why and what to do. */
public class ImportJobRefusedException extends RuntimeException {

  public ImportJobRefusedException(String message) {
    super(message);
  }

  public ImportJobRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

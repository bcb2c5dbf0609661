package io.seedship.workers.datacenter;

/** No import job with that id. */
public class UnknownJobException extends RuntimeException {

  public UnknownJobException(String message) {
    super(message);
  }

  public UnknownJobException(String message, Throwable cause) {
    super(message, cause);
  }
}

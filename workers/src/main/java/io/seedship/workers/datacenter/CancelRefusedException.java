package io.seedship.workers.datacenter;

/** Cancel asked for a job that can no longer be cancelled (from Shipping on). */
public class CancelRefusedException extends ImportJobRefusedException {

  public CancelRefusedException(String message) {
    super(message);
  }

  public CancelRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

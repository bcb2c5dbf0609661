package io.seedship.workers.diskprep;

/** Base of every problem disk preparation reports; the message says what is wrong and what to do. */
public class DiskPrepException extends RuntimeException {

  public DiskPrepException(String message) {
    super(message);
  }

  public DiskPrepException(String message, Throwable cause) {
    super(message, cause);
  }
}

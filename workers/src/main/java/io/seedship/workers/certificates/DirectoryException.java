package io.seedship.workers.certificates;

/** The directory refused a request or could not be reached; the message says which and why. */
public class DirectoryException extends RuntimeException {

  public DirectoryException(String message) {
    super(message);
  }

  public DirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.blob;

/** An upload that did not end with a verified blob; the message says what failed and what to do. */
public class BlobUploadException extends RuntimeException {

  public BlobUploadException(String message, Throwable cause) {
    super(message, cause);
  }
}

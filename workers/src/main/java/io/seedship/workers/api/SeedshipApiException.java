package io.seedship.workers.api;

/** Seedship's API refused a request or did not answer; the message says which and what to do. */
public class SeedshipApiException extends RuntimeException {

  public SeedshipApiException(String message) {
    super(message);
  }
}

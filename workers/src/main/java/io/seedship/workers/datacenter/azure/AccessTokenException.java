package io.seedship.workers.datacenter.azure;

/** No access token could be had from Microsoft Entra ID; the message says why and what to do (never the token). */
public class AccessTokenException extends RuntimeException {

  public AccessTokenException(String message) {
    super(message);
  }

  public AccessTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}

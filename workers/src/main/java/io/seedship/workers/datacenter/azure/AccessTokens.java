package io.seedship.workers.datacenter.azure;

/**
 * Bearer tokens for the Azure management API. A token is a secret: callers put it into the {@code Authorization}
 * header and nowhere else (no log line, no exception message).
 */
@FunctionalInterface
public interface AccessTokens {

  /**
   * A token that is valid for at least a few more minutes.
   *
   * @throws AccessTokenException when no token can be had; the message says why and what to do
   */
  String token();
}

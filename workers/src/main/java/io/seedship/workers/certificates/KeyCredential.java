package io.seedship.workers.certificates;

import java.time.Instant;

/**
 * A certificate credential of an application. {@code thumbprint} is Graph's {@code customKeyIdentifier};
 * {@code certificate} is the DER certificate (public part only) and may be absent when read back.
 */
public record KeyCredential(String keyId, String displayName, String thumbprint, byte[] certificate, Instant startDateTime,
                            Instant endDateTime) {

  public static KeyCredential of(OfflineCertificate certificate) {
    return new KeyCredential(java.util.UUID.randomUUID().toString(), certificate.subject(), certificate.thumbprint(),
        certificate.der(), certificate.notBefore(), certificate.notAfter());
  }

  @Override
  public String toString() {
    return "KeyCredential[" + keyId + ", " + displayName + ", " + thumbprint + "]";
  }
}

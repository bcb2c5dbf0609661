package io.seedship.workers.certificates;

import java.time.Instant;

/**
 * The public side of the offline-seeding certificate of one resource: what may be shown, exported and
 * uploaded. The private key stays in the PKCS#12 keystore of {@link CertificateStore}.
 */
public record OfflineCertificate(String resourceId, String subject, String thumbprint, byte[] der, Instant notBefore,
                                 Instant notAfter) {

  public static final String SUBJECT_PREFIX = "CN=CB_AzureADCertforOfflineSeeding_";

  public static String subjectFor(String resourceId) {
    return SUBJECT_PREFIX + resourceId;
  }

  @Override
  public String toString() {
    return "OfflineCertificate[" + subject + ", thumbprint " + thumbprint + "]";
  }
}

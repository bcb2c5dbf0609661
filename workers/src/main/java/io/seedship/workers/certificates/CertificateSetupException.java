package io.seedship.workers.certificates;

/** Input the certificate setup cannot use; the message says what is wrong and what to do. Nothing was changed. */
public class CertificateSetupException extends RuntimeException {

  public CertificateSetupException(String message) {
    super(message);
  }
}

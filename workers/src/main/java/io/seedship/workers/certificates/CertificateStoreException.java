package io.seedship.workers.certificates;

public class CertificateStoreException extends RuntimeException {

  public CertificateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

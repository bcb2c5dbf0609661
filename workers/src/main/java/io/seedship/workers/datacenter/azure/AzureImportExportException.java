package io.seedship.workers.datacenter.azure;

/**
 * The Import/Export service could not be asked, or answered in a way that is neither a result nor a refusal of the
 * request: unreachable, token not accepted, no permission, throttled, a server error, an answer Seedship cannot read.
 * Unlike {@link io.seedship.workers.datacenter.ImportJobRefusedException} these are worth trying again once the cause
 * is fixed. The message never holds a token or an unlock secret.
 */
public class AzureImportExportException extends RuntimeException {

  public AzureImportExportException(String message) {
    super(message);
  }

  public AzureImportExportException(String message, Throwable cause) {
    super(message, cause);
  }
}

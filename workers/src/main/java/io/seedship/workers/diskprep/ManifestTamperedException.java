package io.seedship.workers.diskprep;

/** The manifest's hash or a manifest chunk does not authenticate. */
public class ManifestTamperedException extends DriveIntegrityException {

  public ManifestTamperedException(String message) {
    super(message);
  }

  public ManifestTamperedException(String message, Throwable cause) {
    super(message, cause);
  }
}

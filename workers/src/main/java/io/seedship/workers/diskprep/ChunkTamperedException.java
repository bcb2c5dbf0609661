package io.seedship.workers.diskprep;

/** A chunk of a data file fails authentication, is missing at the end, or decrypts to other content than the manifest lists. */
public class ChunkTamperedException extends DriveIntegrityException {

  public ChunkTamperedException(String message) {
    super(message);
  }

  public ChunkTamperedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.blob;

/** A blob's bytes, blocks or checksums differ from the file it was uploaded from. */
public class BlobChecksumException extends BlobUploadException {

  public BlobChecksumException(String message) {
    super(message, null);
  }
}

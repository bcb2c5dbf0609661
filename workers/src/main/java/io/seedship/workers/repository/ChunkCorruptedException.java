package io.seedship.workers.repository;

/** A chunk decrypts but its content does not match its id. */
public class ChunkCorruptedException extends RepositoryException {

  public ChunkCorruptedException(String message) {
    super(message);
  }

  public ChunkCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}

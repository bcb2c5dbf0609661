package io.seedship.workers.repository;

/** A chunk sits in a place that belongs to another chunk (chunks were swapped or copied between packs). */
public class ChunkMisplacedException extends RepositoryException {

  public ChunkMisplacedException(String message) {
    super(message);
  }

  public ChunkMisplacedException(String message, Throwable cause) {
    super(message, cause);
  }
}

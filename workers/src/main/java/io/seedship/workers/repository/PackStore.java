package io.seedship.workers.repository;

import java.util.List;

/**
 * Where a repository's packs are read from (docs/vault.md §5): the repository folder's {@code data/} files
 * ({@link FilePackStore}, the default) or another store such as blob storage. Packs are write-once, so a
 * store needs no coherence beyond "a pack that exists is complete".
 */
public interface PackStore {

  /**
   * Opens a pack for positional reads.
   *
   * @throws PackMissingException when the pack does not exist
   */
  PackSource open(RandomId pack);

  /** The ids of every pack the store holds (order unspecified). */
  List<RandomId> list();

  /** Where the pack is, for messages (a path, a blob name); never holds secrets. */
  String describe(RandomId pack);
}

package io.seedship.workers.repository;

import java.nio.file.Path;

/** Where each kind of file lives inside a repository folder (docs/repository-format.md §1). */
final class RepositoryLayout {

  private final Path root;

  RepositoryLayout(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path config() {
    return root.resolve("config");
  }

  Path keys() {
    return root.resolve("keys");
  }

  Path data() {
    return root.resolve("data");
  }

  Path pack(RandomId packId) {
    String hex = packId.hex();
    return data().resolve(hex.substring(0, 2)).resolve(hex);
  }

  Path indexDir() {
    return root.resolve("index");
  }

  Path index(RandomId indexId) {
    return indexDir().resolve(indexId.hex());
  }

  Path snapshots() {
    return root.resolve("snapshots");
  }

  Path snapshot(RandomId snapshotId) {
    return snapshots().resolve(snapshotId.hex());
  }

  Path lock() {
    return root.resolve("lock");
  }
}

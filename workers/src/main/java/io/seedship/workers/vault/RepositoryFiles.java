package io.seedship.workers.vault;

import io.seedship.workers.repository.RandomId;
import java.util.Comparator;

/** The names of a repository's files (docs/repository-format.md §1), as relative paths = blob names under a prefix. */
final class RepositoryFiles {

  static final String CONFIG = "config";

  /** Upload order (docs/vault.md §3): config and keys, packs, index files, snapshots last. */
  static final Comparator<String> UPLOAD_ORDER = Comparator.comparingInt(RepositoryFiles::rank).thenComparing(Comparator.naturalOrder());

  private RepositoryFiles() {
  }

  /** config, keys/<id>, data/xx/<id> (xx = the id's first two digits), index/<id>, snapshots/<id>. */
  static boolean isRepositoryFile(String name) {
    if (name.equals(CONFIG)) {
      return true;
    }
    String[] parts = name.split("/", -1);
    if (parts.length == 2) {
      return (parts[0].equals("keys") || parts[0].equals("index") || parts[0].equals("snapshots")) && RandomId.isValid(parts[1]);
    }
    return parts.length == 3 && parts[0].equals("data") && RandomId.isValid(parts[2]) && parts[2].startsWith(parts[1])
        && parts[1].length() == 2;
  }

  static boolean isPack(String name) {
    return name.startsWith("data/") && isRepositoryFile(name);
  }

  static boolean isSnapshot(String name) {
    return name.startsWith("snapshots/") && isRepositoryFile(name);
  }

  static boolean isIndex(String name) {
    return name.startsWith("index/") && isRepositoryFile(name);
  }

  /** Everything but packs: the files every worker keeps in its cache. */
  static boolean isMetadata(String name) {
    return isRepositoryFile(name) && !isPack(name);
  }

  static String pack(RandomId pack) {
    return "data/" + pack.hex().substring(0, 2) + "/" + pack.hex();
  }

  /** The id in a file's name (the last part); config has none. */
  static String idOf(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** config, keys, packs, index, snapshots: what a file is, by its name (for the step names of timings). */
  static String kindOf(String name) {
    return switch (rank(name)) {
      case 0 -> "config";
      case 1 -> "keys";
      case 2 -> "packs";
      case 3 -> "index";
      default -> "snapshots";
    };
  }

  static int rank(String name) {
    if (name.equals(CONFIG)) {
      return 0;
    }
    if (name.startsWith("keys/")) {
      return 1;
    }
    if (name.startsWith("data/")) {
      return 2;
    }
    if (name.startsWith("index/")) {
      return 3;
    }
    return 4;
  }
}

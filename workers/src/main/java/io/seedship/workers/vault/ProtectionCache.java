package io.seedship.workers.vault;

import io.seedship.workers.FileTrees;
import io.seedship.workers.ExclusiveFileLock;
import io.seedship.workers.repository.RandomId;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A protection's local cache on a worker (docs/vault.md §2): the vault's config, keys, index files and snapshots,
 * the packs waiting to be uploaded, the figures of recovery points not yet in the catalogue, short-lived views.
 */
final class ProtectionCache {

  private final Path root;

  ProtectionCache(Path cacheDirectory, String protectionId) {
    this.root = cacheDirectory.resolve(protectionId);
  }

  Path root() {
    return root;
  }

  Path file(String name) {
    return root.resolve(name);
  }

  Path pointsDir() {
    return root.resolve("points");
  }

  Path transferDir() {
    return root.resolve("transfer");
  }

  /** The protection's lock on this worker: one vault operation at a time; the kernel lets go when the process dies. */
  ExclusiveFileLock lock() {
    try {
      Files.createDirectories(root);
      ExclusiveFileLock held = ExclusiveFileLock.tryAcquire(root.resolve("vault.lock")).orElseThrow(() -> new ProtectionBusyException(
          "Another vault operation of protection " + root.getFileName() + " runs on this worker right now; this one is retried later."));
      try {
        deleteLeftovers();
      } catch (IOException | RuntimeException e) {
        held.close();
        throw e;
      }
      return held;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock the vault cache " + root + " (" + e.getMessage() + "): check that it is writable.", e);
    }
  }

  /**
   * Brings the cache's config, keys, index files and snapshots up to the vault's (downloads, each checked). Refuses a
   * cache that belongs to another repository than the vault's.
   */
  void sync(VaultBlobs blobs, Map<String, RemoteFile> remote) {
    RemoteFile config = remote.get(RepositoryFiles.CONFIG);
    if (config != null && Files.isRegularFile(file(RepositoryFiles.CONFIG)) && !sameBytes(file(RepositoryFiles.CONFIG), config)) {
      // (the same bytes as the vault's config, by the listing's SHA-256 metadata: the same repository, nothing to fetch)
      String local = repositoryId(file(RepositoryFiles.CONFIG));
      String vault = repositoryId(blobs, config);
      if (!local.equals(vault)) {
        throw new VaultException("The vault cache " + root + " holds repository " + local + " but the vault holds repository " + vault
            + " for this protection: the protection was seeded again. Move the cache folder away (it may hold packs not uploaded), "
            + "then run again.");
      }
    }
    for (RemoteFile blob : remote.values()) {
      if (!RepositoryFiles.isMetadata(blob.name())) {
        continue;
      }
      Path local = file(blob.name());
      try {
        if (Files.isRegularFile(local) && Files.size(local) == blob.size()) {
          continue;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + local + ": " + e.getMessage(), e);
      }
      blobs.download(blob, local);
    }
  }

  /** True when the file's SHA-256 is the {@code sha256} metadata the listing shows for the blob (false without it). */
  private static boolean sameBytes(Path local, RemoteFile blob) {
    if (blob.sha256() == null) {
      return false;
    }
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(local)))
          .equals(blob.sha256());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + local + ": " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Relative names of the repository files in the cache: metadata and finished packs (temporary files left out). */
  List<String> localFiles() {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return names;
    }
    try (Stream<Path> walk = Files.walk(root, 3)) {
      walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
          .filter(RepositoryFiles::isRepositoryFile).forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException("The vault cache " + root + " cannot be listed: " + e.getMessage(), e);
    }
    names.sort(RepositoryFiles.UPLOAD_ORDER);
    return names;
  }

  long size(String name) {
    try {
      return Files.size(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file(name) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A read-only view: a new folder of hard links to the given cache files plus {@code extra} files (name → path),
   * opened as a repository by the caller and deleted when closed (docs/vault.md §6).
   */
  View view(List<String> names, Map<String, Path> extra) {
    Path dir = root.resolve("view-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    View view = new View(dir);
    try {
      for (String folder : List.of("keys", "index", "snapshots", "data")) {
        Files.createDirectories(dir.resolve(folder));
      }
      for (String name : names) {
        link(file(name), dir.resolve(name));
      }
      for (Map.Entry<String, Path> e : extra.entrySet()) {
        link(e.getValue(), dir.resolve(e.getKey()));
      }
      return view;
    } catch (IOException e) {
      view.close();
      throw new UncheckedIOException("Cannot make a view in the vault cache " + root + " (" + e.getMessage() + ").", e);
    }
  }

  private static void link(Path existing, Path link) throws IOException {
    Files.createDirectories(link.getParent());
    try {
      Files.createLink(link, existing);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(existing, link);
    }
  }

  /** The repository id written in a config file (docs/repository-format.md §1). */
  static String repositoryId(Path config) {
    try {
      return repositoryId(Files.readString(config, StandardCharsets.ISO_8859_1), config.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + config + ": " + e.getMessage(), e);
    }
  }

  private static String repositoryId(VaultBlobs blobs, RemoteFile config) {
    return repositoryId(blobs.blob(config.name()).downloadContent().toString(), "the vault's config");
  }

  static String repositoryId(String configText, String where) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(configText));
    } catch (IOException e) {
      throw new VaultException(where + " cannot be parsed: " + e.getMessage(), e);
    }
    String id = p.getProperty("id");
    if (!"seedship-repository".equals(p.getProperty("format")) || id == null || !RandomId.isValid(id)) {
      throw new VaultException(where + " is not the config of a Seedship repository.");
    }
    return id;
  }

  /**
   * Transfers of an operation that died, and views of processes that are gone (a view of a running restore stays);
   * called with the lock held.
   */
  private void deleteLeftovers() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.equals("transfer") || name.equals("seed-snapshots") || (name.startsWith("view-") && !ownerAlive(name))) {
          FileTrees.deleteTree(entry);
        }
      }
    }
  }

  private static boolean ownerAlive(String viewName) {
    String[] parts = viewName.split("-");
    try {
      long pid = Long.parseLong(parts[1]);
      return pid != ProcessHandle.current().pid() ? ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) : true;
    } catch (RuntimeException e) {
      return false;
    }
  }


  /** A folder of links opened as a repository; deleted on close. */
  static final class View implements AutoCloseable {
    private final Path dir;

    View(Path dir) {
      this.dir = dir;
    }

    Path dir() {
      return dir;
    }

    @Override
    public void close() {
      try {
        FileTrees.deleteTree(dir);
      } catch (IOException e) {
        // removed by the next operation on the protection
      }
    }
  }
}

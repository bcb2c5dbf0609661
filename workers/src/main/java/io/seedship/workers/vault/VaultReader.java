package io.seedship.workers.vault;

import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.Snapshot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A protection's repository as the vault holds it, for readers (restore, verify, listings): the cache is synced, then a
 * view of exactly the vault's config, keys, index files and snapshots is opened with packs read from the vault only
 * (pending files of the cache are left out). Takes no lock: readers never write the vault, and the cache's files are
 * written atomically.
 */
final class VaultReader implements AutoCloseable {

  private final ProtectionCache.View view;
  private final Repository repository;
  private final Set<String> snapshotIds;

  private VaultReader(ProtectionCache.View view, Repository repository, Set<String> snapshotIds) {
    this.view = view;
    this.repository = repository;
    this.snapshotIds = snapshotIds;
  }

  static VaultReader open(Vault vault, String protectionId) {
    return open(vault, protectionId, Map.of());
  }

  /** With {@code extra} files (name → path) in the view too: the seed copy's snapshots before they are committed. */
  static VaultReader open(Vault vault, String protectionId, Map<String, Path> extra) {
    ProtectionCache cache = vault.cache(protectionId);
    VaultBlobs blobs = vault.blobs(protectionId);
    Map<String, RemoteFile> remote = blobs.list();
    if (!remote.containsKey(RepositoryFiles.CONFIG)) {
      throw new NotSeededException("The vault holds no repository for protection " + protectionId + " (no " + blobs.prefix()
          + "config in container " + vault.settings().vaultContainer() + ").");
    }
    cache.sync(blobs, remote);
    List<String> names = remote.keySet().stream().filter(RepositoryFiles::isMetadata).toList();
    Set<String> snapshots = new TreeSet<>();
    names.stream().filter(RepositoryFiles::isSnapshot).map(RepositoryFiles::idOf).forEach(snapshots::add);
    extra.keySet().stream().filter(RepositoryFiles::isSnapshot).map(RepositoryFiles::idOf).forEach(snapshots::add);
    // A seed copy killed after committing its snapshots passes them again as extra: the vault's copy is the same file.
    Map<String, Path> notInVault = new LinkedHashMap<>(extra);
    notInVault.keySet().removeAll(names);
    ProtectionCache.View view = cache.view(names, notInVault);
    try {
      BlobPackStore packs = blobs.packStore();
      packs.useListing(remote); // packs are opened with their listed lengths
      Repository repository = Repository.open(view.dir(), vault.secret(protectionId), packs);
      return new VaultReader(view, repository, snapshots);
    } catch (RuntimeException e) {
      view.close();
      throw e;
    }
  }

  Repository repository() {
    return repository;
  }

  /** The snapshots in the vault (and in the view's extra files), oldest first. */
  List<Snapshot> snapshots() {
    return repository.snapshots().stream().filter(s -> snapshotIds.contains(s.id().hex())).toList();
  }

  @Override
  public void close() {
    view.close();
  }
}

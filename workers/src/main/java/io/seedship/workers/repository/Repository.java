package io.seedship.workers.repository;

import io.seedship.workers.ExclusiveFileLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;

/**
 * An opened repository: its layout, key, config, (lazily) index, and the store its packs are read from
 * (the folder's {@code data/} by default, docs/vault.md §5). Entry point of the engine.
 */
public final class Repository {

  /** The folder of block signatures in a repository's folder (never uploaded, docs §9). */
  public static final String SIGNATURES = "signatures";
  private static final byte[] SNAPSHOT_AAD = "seedship-snapshot-v1".getBytes(StandardCharsets.US_ASCII);

  private final RepositoryLayout layout;
  private final RepositoryConfig config;
  private final RepositoryKey key;
  private final FastCdcChunker chunker;
  private final FilePackStore localPacks;
  private final PackStore packs;
  private ChunkIndex index;
  private SignatureStore signatures;

  private Repository(RepositoryLayout layout, RepositoryConfig config, RepositoryKey key, PackStore packs) {
    this.layout = layout;
    this.config = config;
    this.key = key;
    this.localPacks = new FilePackStore(layout);
    this.packs = packs == null ? localPacks : packs;
    this.chunker = new FastCdcChunker(key.gearTable(), config.minChunk(), config.avgChunk(), config.maxChunk());
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARMING = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Starts the JIT warm-ups of AES-GCM (opening, then sealing) and SHA-256 on a background thread, once per JVM
   * (docs §3). Otherwise each runs on first use, on the thread that needs it (~0.3 s each for GCM): an operation that
   * begins with network waits (the vault's listing, the key derivation) calls this first, so they overlap.
   */
  public static void warmUpInBackground() {
    if (WARMING.compareAndSet(false, true)) {
      Thread warming = new Thread(() -> {
        Aead.warmUp(false);
        ChunkHasher.warmUp();
        Aead.warmUp(true);
      }, "seedship-crypto-warm-up");
      warming.setDaemon(true);
      warming.start();
    }
  }

  /** True when {@code dir} holds a finished repository (its config file is the last thing init writes). */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(new RepositoryLayout(dir).config());
  }

  public static Repository init(Path dir, RepositorySecret secret, KeyDerivation kdf) {
    RepositoryLayout layout = new RepositoryLayout(dir);
    if (exists(dir)) {
      throw new RepositoryException(dir + " already holds a Seedship repository: open it instead of creating a new one.");
    }
    try {
      Files.createDirectories(dir);
      // A crash between key and config leaves keys without config: start over, nothing else exists yet.
      if (Files.isDirectory(layout.keys())) {
        try (Stream<Path> leftovers = Files.list(layout.keys())) {
          for (Path leftover : (Iterable<Path>) leftovers::iterator) {
            Files.delete(leftover);
          }
        }
      }
      for (Path folder : List.of(layout.keys(), layout.data(), layout.indexDir(), layout.snapshots())) {
        Files.createDirectories(folder);
      }
      RepositoryKey key = RepositoryKey.generate();
      RepositoryKeyFiles.add(layout, key, secret, kdf);
      RepositoryConfig config = RepositoryConfig.createDefault();
      config.write(layout.config());
      return new Repository(layout, config, key, null);
    } catch (IOException e) {
      throw new RepositoryException("Cannot create a repository in " + dir + " (" + e.getMessage()
          + "): check that the folder is writable and has free space.", e);
    }
  }

  public static Repository open(Path dir, RepositorySecret secret) {
    return open(dir, secret, null);
  }

  /**
   * Opens the repository in {@code dir} (config, keys, index files, snapshots) with its packs read from
   * {@code packs}; backups still write new packs into {@code dir}'s {@code data/} folder.
   */
  public static Repository open(Path dir, RepositorySecret secret, PackStore packs) {
    if (!Files.isDirectory(dir)) {
      throw new NotARepositoryException("The repository folder " + dir + " does not exist: check the path.");
    }
    RepositoryLayout layout = new RepositoryLayout(dir);
    RepositoryConfig config = RepositoryConfig.read(dir, layout.config());
    RepositoryKey key = RepositoryKeyFiles.open(layout, secret);
    return new Repository(layout, config, key, packs);
  }

  public Path root() {
    return layout.root();
  }

  public String id() {
    return config.id().hex();
  }

  RepositoryLayout layout() {
    return layout;
  }

  RepositoryConfig config() {
    return config;
  }

  RepositoryKey key() {
    return key;
  }

  FastCdcChunker chunker() {
    return chunker;
  }

  PackStore packs() {
    return packs;
  }

  synchronized ChunkIndex index() {
    if (index == null) {
      ChunkIndex loaded = new ChunkIndex();
      for (PackSummary pack : IndexFiles.readAll(layout, key.newAead())) {
        loaded.addPack(pack);
      }
      index = loaded;
    }
    return index;
  }

  /** The block signatures kept beside the repository (docs §9): a local cache, not part of the repository. */
  synchronized SignatureStore signatures() {
    if (signatures == null) {
      signatures = new SignatureStore(layout.root().resolve(SIGNATURES));
    }
    return signatures;
  }

  ChunkReader newReader() {
    return new ChunkReader(packs, index(), key, config.maxChunk());
  }

  /** All snapshots, oldest first. */
  public List<Snapshot> snapshots() {
    List<Snapshot> snapshots = new ArrayList<>();
    if (!Files.isDirectory(layout.snapshots())) {
      return snapshots;
    }
    Aead aead = key.newAead();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(layout.snapshots())) {
      for (Path file : stream) {
        String name = file.getFileName().toString();
        if (RandomId.isValid(name)) {
          snapshots.add(readSnapshot(RandomId.parse(name), file, aead));
        }
      }
    } catch (IOException e) {
      throw new RepositoryException("The snapshots of " + layout.root() + " cannot be listed: " + e.getMessage(), e);
    }
    snapshots.sort(Comparator.comparing(Snapshot::time).thenComparing(s -> s.id().hex()));
    return snapshots;
  }

  /** A snapshot by id, unique id prefix, or "latest". */
  public Snapshot snapshot(String idOrPrefix) {
    List<Snapshot> all = snapshots();
    if ("latest".equals(idOrPrefix)) {
      if (all.isEmpty()) {
        throw new SnapshotNotFoundException("The repository " + layout.root() + " has no snapshot yet: run a backup first.");
      }
      return all.get(all.size() - 1);
    }
    List<Snapshot> matches = all.stream().filter(s -> s.id().hex().startsWith(idOrPrefix)).toList();
    if (matches.size() != 1) {
      throw new SnapshotNotFoundException((matches.isEmpty() ? "No snapshot" : "More than one snapshot") + " matches '"
          + idOrPrefix + "' in " + layout.root() + ": list them with 'seedship snapshots' and give a longer id.");
    }
    return matches.get(0);
  }

  void writeSnapshot(Snapshot snapshot) throws IOException {
    byte[] sealed = key.newAead().seal(snapshot.serialize(), snapshotAad(snapshot.id()));
    AtomicFiles.write(layout.snapshot(snapshot.id()), sealed);
  }

  private Snapshot readSnapshot(RandomId id, Path file, Aead aead) {
    try {
      return Snapshot.deserialize(id, aead.open(Files.readAllBytes(file), snapshotAad(id)));
    } catch (AEADBadTagException e) {
      throw new RepositoryException("Snapshot file " + file + " fails authentication: it was changed or damaged. "
          + "Restore it from another copy of the repository, or delete it to drop that snapshot.", e);
    } catch (IOException e) {
      throw new RepositoryException("Snapshot file " + file + " cannot be read (" + e.getMessage() + ").", e);
    }
  }

  private static byte[] snapshotAad(RandomId id) {
    byte[] aad = new byte[SNAPSHOT_AAD.length + RandomId.LENGTH];
    System.arraycopy(SNAPSHOT_AAD, 0, aad, 0, SNAPSHOT_AAD.length);
    System.arraycopy(id.bytes(), 0, aad, SNAPSHOT_AAD.length, RandomId.LENGTH);
    return aad;
  }

  /** The tree of a snapshot, streamed (bounded memory for any number of entries). */
  public TreeStream tree(Snapshot snapshot) {
    return new TreeStream(snapshot.treeChunks(), newReader());
  }

  /**
   * What a writer does first, on its own: takes the writer lock, deletes leftovers of a crashed writer and
   * indexes the finished packs in {@code data/} that no index file lists (docs §7), then lets the lock go.
   * Afterwards every finished pack of the folder is in an index file. Returns those packs.
   */
  public List<RandomId> recoverInterruptedWrites() {
    try (WriteLock lock = lockForWriting()) {
      return lock.recoveredPacks();
    }
  }

  /**
   * Takes the single-writer lock, deletes leftovers of crashed writers and indexes finished packs that no
   * index file lists yet (docs §7). Returns the list of problems found with such packs.
   */
  WriteLock lockForWriting() {
    try {
      ExclusiveFileLock lock = ExclusiveFileLock.tryAcquire(layout.lock()).orElseThrow(() -> new RepositoryLockedException(
          "Another backup is writing the repository " + layout.root() + " right now. Wait for it to finish; if no other backup "
          + "runs, check for a hung Seedship process."));
      WriteLock writeLock = new WriteLock(lock);
      try {
        deleteTemporaryFiles();
        writeLock.recovered = indexUnindexedPacks();
      } catch (IOException | RuntimeException e) {
        writeLock.close();
        throw e;
      }
      return writeLock;
    } catch (IOException e) {
      throw new RepositoryException("Cannot lock the repository " + layout.root() + " for writing (" + e.getMessage()
          + "): check that it is writable.", e);
    }
  }

  private void deleteTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(layout.root(), 3)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (AtomicFiles.isTemporary(file) && Files.isRegularFile(file)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private List<RandomId> indexUnindexedPacks() throws IOException {
    ChunkIndex chunkIndex = index();
    List<PackSummary> recovered = new ArrayList<>();
    List<RandomId> damaged = new ArrayList<>();
    Aead aead = key.newAead();
    for (Path pack : listPackFiles()) {
      RandomId id = RandomId.parse(pack.getFileName().toString());
      if (chunkIndex.containsPack(id)) {
        continue;
      }
      try {
        recovered.add(new PackSummary(id, Files.size(pack), PackReader.readHeader(localPacks, id, aead)));
      } catch (PackTamperedException | PackTruncatedException e) {
        damaged.add(id);
      }
    }
    for (int from = 0; from < recovered.size(); from += IndexFiles.MAX_PACKS_PER_FILE) {
      List<PackSummary> group = recovered.subList(from, Math.min(recovered.size(), from + IndexFiles.MAX_PACKS_PER_FILE));
      IndexFiles.write(layout, aead, group);
      group.forEach(chunkIndex::addPack);
    }
    return recovered.stream().map(PackSummary::id).toList();
  }

  /** The finished pack files in this folder's {@code data/} (the packs a backup wrote here). */
  List<Path> listPackFiles() throws IOException {
    return localPacks.listFiles();
  }

  /** Holds the OS lock on the repository's lock file; the kernel releases it if the process dies. */
  static final class WriteLock implements AutoCloseable {
    private final ExclusiveFileLock lock;
    private List<RandomId> recovered = List.of();

    private WriteLock(ExclusiveFileLock lock) {
      this.lock = lock;
    }

    List<RandomId> recoveredPacks() {
      return recovered;
    }

    @Override
    public void close() {
      lock.close();
    }
  }
}

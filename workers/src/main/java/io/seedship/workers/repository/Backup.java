package io.seedship.workers.repository;

import io.seedship.workers.Sizes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;

/**
 * The backup use case: walks a source folder and writes a snapshot into the repository (docs §6, §7).
 * One thread reads, chunks and hashes; {@link BackupOptions#workers()} threads compress, encrypt and
 * write packs. Resumes after a crash by skipping every chunk a finished pack already holds.
 */
public final class Backup {

  private static final long SPACE_MARGIN = 16L << 20;
  private static final int READ_SIZE = 1 << 20;

  private final Repository repository;
  private final BackupOptions options;

  public Backup(Repository repository, BackupOptions options) {
    this.repository = repository;
    this.options = options;
  }

  public BackupResult run(Path source, ProgressListener listener) {
    Path root = source.toAbsolutePath().normalize();
    SourceWalker.checkSource(root);
    Instant started = Instant.now();
    try (Repository.WriteLock lock = repository.lockForWriting()) {
      Snapshot parent = options.useParent() ? latestOf(root) : null;
      Run run = new Run(root, parent, listener, started, lock.recoveredPacks().size());
      return run.execute();
    } catch (IOException e) {
      throw translate(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("The backup of " + source + " was interrupted; run it again to resume.", e);
    }
  }

  private Snapshot latestOf(Path source) {
    Snapshot latest = null;
    for (Snapshot snapshot : repository.snapshots()) {
      if (snapshot.source().equals(source.toString())) {
        latest = snapshot;
      }
    }
    return latest;
  }

  static RepositoryException translate(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
      return new StagingTooSmallException("The repository's disk is full (" + message + "). Free space or choose a larger "
          + "staging location, then run the backup again: it resumes where it stopped.", e);
    }
    return new RepositoryException("The backup failed: " + SourceWalker.describe(e)
        + ". Fix the cause and run it again: it resumes where it stopped.", e);
  }

  /** One execution: counters, pipeline and tree writer. */
  private final class Run implements SourceWalker.Visitor {

    private final Path source;
    private final Snapshot parent;
    private final ProgressListener listener;
    private final Instant started;
    private final int recoveredPacks;
    private final ChunkIndex index = repository.index();
    private final FastCdcChunker chunker = repository.chunker();
    private final Mac idMac = repository.key().newIdMac();
    private final MessageDigest fileDigest = sha256();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private long bytesRead;
    private final ConcurrentHashMap<ChunkId, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile BackupProgress.Phase phase = BackupProgress.Phase.SCANNING;
    private long filesTotal;
    private long bytesTotal;
    private long files;
    private long directories;
    private long symlinks;
    private long bytes;
    private PackingPipeline pipeline;
    private TreeWriter tree;
    private TreeStream parentTree;
    private TreeNode parentNext;
    private final byte[] buffer;

    Run(Path source, Snapshot parent, ProgressListener listener, Instant started, int recoveredPacks) {
      this.source = source;
      this.parent = parent;
      this.listener = listener;
      this.started = started;
      this.recoveredPacks = recoveredPacks;
      this.buffer = new byte[4 * chunker.maxChunk()];
    }

    BackupResult execute() throws IOException, InterruptedException {
      ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "seedship-progress");
        t.setDaemon(true);
        return t;
      });
      long interval = Math.max(50, options.progressInterval().toMillis());
      reporter.scheduleAtFixedRate(this::report, interval, interval, TimeUnit.MILLISECONDS);
      try {
        long toRead = scan();
        checkFreeSpace(toRead);
        phase = BackupProgress.Phase.BACKING_UP;
        pipeline = new PackingPipeline(repository, options, index, inFlight);
        tree = new TreeWriter(this::storeTreeChunk);
        openParentTree();
        try {
          SourceWalker.walk(source, this);
          List<ChunkId> treeChunks = tree.finish();
          phase = BackupProgress.Phase.FINISHING;
          pipeline.finish();
          Snapshot snapshot = new Snapshot(RandomId.generate(), Instant.now(), hostName(), source.toString(), options.tags(),
              parent == null ? null : parent.id().hex(), files, directories, symlinks, bytes,
              List.copyOf(warnings.subList(0, Math.min(warnings.size(), Snapshot.MAX_WARNINGS))), treeChunks);
          repository.writeSnapshot(snapshot);
          phase = BackupProgress.Phase.DONE;
          report();
          return new BackupResult(snapshot, bytesRead, pipeline.bytesStored(), pipeline.chunksStored(),
              pipeline.packsWritten(), recoveredPacks, List.copyOf(warnings), Duration.between(started, Instant.now()));
        } finally {
          pipeline.abortIfRunning();
          closeParentTree();
        }
      } finally {
        reporter.shutdownNow();
      }
    }

    /** Counts files and bytes for progress, and the bytes that will really be read (for the space check). */
    private long scan() throws IOException, InterruptedException {
      long[] toRead = {0};
      openParentTree();
      try {
        SourceWalker.walk(source, new SourceWalker.Visitor() {
          @Override
          public void entry(Path file, TreeNode node) {
            if (node.type() == TreeNode.Type.FILE) {
              filesTotal++;
              bytesTotal += node.size();
              if (!node.unchangedSince(parentEntry(node.path()))) {
                toRead[0] += node.size();
              }
            }
          }

          @Override
          public void problem(String relativePath, String problem) {
            // reported by the backup pass that follows
          }
        });
      } finally {
        closeParentTree();
      }
      return toRead[0];
    }

    private void checkFreeSpace(long toRead) throws IOException {
      FileStore store = Files.getFileStore(repository.root());
      long usable = store.getUsableSpace();
      long needed = toRead + toRead / 100 + 2 * options.packTargetSize() + SPACE_MARGIN;
      long credit = 0;
      if (parent == null) {
        // Packs of an interrupted first backup are reused, so they count towards what is needed.
        for (Path pack : repository.listPackFiles()) {
          credit += Files.size(pack);
        }
      }
      if (usable + credit < needed) {
        throw new StagingTooSmallException(String.format(
            "The staging location %s is too small: it has %s free but the backup of %s needs up to %s "
                + "(%s to read, worst case incompressible, plus 1%% and room for two packs). "
                + "Free space there or choose a staging location at least as large as the source.",
            repository.root(), Sizes.human(usable + credit), source, Sizes.human(needed), Sizes.human(toRead)));
      }
    }

    @Override
    public void entry(Path file, TreeNode node) throws IOException, InterruptedException {
      pipeline.checkHealthy();
      switch (node.type()) {
        case DIRECTORY -> {
          directories++;
          tree.add(node);
        }
        case SYMLINK -> {
          symlinks++;
          tree.add(node);
        }
        case FILE -> backUpFile(file, node);
        default -> throw new IllegalStateException("unknown type " + node.type());
      }
    }

    @Override
    public void problem(String relativePath, String problem) {
      warnings.add((relativePath.isEmpty() ? "." : relativePath) + ": " + problem);
    }

    private void backUpFile(Path file, TreeNode node) throws IOException, InterruptedException {
      TreeNode previous = parentEntry(node.path());
      if (node.unchangedSince(previous) && previous.chunks().stream().allMatch(index::contains)) {
        tree.add(node.withContent(previous.fileHash(), previous.chunks(), previous.size()));
        count(node.size());
        bytesDone.addAndGet(node.size());
        return;
      }
      List<ChunkId> chunks = new ArrayList<>();
      long read;
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        read = chunkFile(in, chunks);
      } catch (NoSuchFileException e) {
        problem(node.path(), Files.exists(file) ? "cannot be read (" + e.getMessage() + "); not in the snapshot"
            : "vanished before it could be read; not in the snapshot");
        filesDone.incrementAndGet();
        return;
      } catch (IOException e) {
        problem(node.path(), "read failed (" + SourceWalker.describe(e) + "); not in the snapshot");
        filesDone.incrementAndGet();
        return;
      }
      TreeNode after = SourceWalker.stat(file, node.path());
      if (after == null || read != node.size() || after.size() != node.size() || after.mtimeNanos() != node.mtimeNanos()) {
        problem(node.path(), "changed while being read (" + node.size() + " bytes before, " + read
            + " read); the snapshot holds the bytes read, the next backup reads it again");
      }
      tree.add(node.withContent(fileDigest.digest(), List.copyOf(chunks), read));
      count(read);
    }

    private void count(long size) {
      files++;
      bytes += size;
      filesDone.incrementAndGet();
    }

    /** Reads a file through the chunker; returns the bytes read. Chunks go to the pipeline. */
    private long chunkFile(FileChannel in, List<ChunkId> chunks) throws IOException, InterruptedException {
      fileDigest.reset();
      int max = chunker.maxChunk();
      int start = 0;
      int end = 0;
      boolean eof = false;
      long total = 0;
      while (true) {
        while (!eof && end - start < max) {
          if (buffer.length - end < max) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
          }
          // FileChannel reuses a cached direct buffer; FileInputStream would malloc (mmap) per large read.
          int n = in.read(ByteBuffer.wrap(buffer, end, Math.min(buffer.length - end, READ_SIZE)));
          if (n < 0) {
            eof = true;
          } else {
            end += n;
            total += n;
            bytesRead += n;
            bytesDone.addAndGet(n);
          }
        }
        if (start == end) {
          return total;
        }
        int length = chunker.nextChunkLength(buffer, start, end);
        fileDigest.update(buffer, start, length);
        chunks.add(storeChunk(buffer, start, length, PackEntry.DATA));
        start += length;
      }
    }

    private ChunkId storeTreeChunk(byte[] data, int length) throws InterruptedException {
      return storeChunk(data, 0, length, PackEntry.TREE);
    }

    private ChunkId storeChunk(byte[] data, int offset, int length, byte type) throws InterruptedException {
      idMac.update(data, offset, length);
      ChunkId id = new ChunkId(idMac.doFinal());
      if (!index.contains(id) && inFlight.putIfAbsent(id, Boolean.TRUE) == null) {
        pipeline.submit(type, id, data, offset, length);
      }
      return id;
    }

    private void openParentTree() {
      parentNext = null;
      parentTree = parent == null ? null : repository.tree(parent);
    }

    private void closeParentTree() {
      if (parentTree != null) {
        parentTree.close();
        parentTree = null;
      }
    }

    /** The parent's entry for a path: both streams are in tree order, so this is a merge. */
    private TreeNode parentEntry(String path) {
      if (parentTree == null) {
        return null;
      }
      while (parentNext == null || TreeOrder.INSTANCE.compare(parentNext.path(), path) < 0) {
        if (!parentTree.hasNext()) {
          parentNext = null;
          return null;
        }
        parentNext = parentTree.next();
      }
      return parentNext.path().equals(path) ? parentNext : null;
    }

    private void report() {
      try {
        listener.progress(new BackupProgress(phase, filesDone.get(), filesTotal, bytesDone.get(), bytesTotal,
            pipeline == null ? 0 : pipeline.bytesStored(), pipeline == null ? 0 : pipeline.packsWritten(),
            Duration.between(started, Instant.now())));
      } catch (RuntimeException e) {
        // A failing listener (e.g. a lost heartbeat) must not stop the reporter; the caller sees its own failure.
        warnings.add("progress listener failed: " + e.getMessage());
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM offers no SHA-256", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}

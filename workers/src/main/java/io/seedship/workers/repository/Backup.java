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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backup use case: walks a source folder and writes a snapshot into the repository (docs §6, §7).
 * One thread walks the source in tree order; {@link BackupOptions#readers()} threads read, chunk and
 * hash changed files (one file each at a time) and {@link BackupOptions#workers()} threads compress,
 * encrypt and write packs. The walk puts entries into the tree in its own order, whichever file finishes first. Resumes after a crash by skipping every chunk a finished pack already holds.
 */
public final class Backup {

  private static final long SPACE_MARGIN = 16L << 20;
  private static final int READ_SIZE = 1 << 20;
  /** Entries the walk may run ahead of the readers: bounds memory, keeps both readers busy on small files. */
  private static final int MAX_PENDING_ENTRIES = 1024;

  private final Repository repository;
  private final BackupOptions options;
  private final PackTap tap;

  public Backup(Repository repository, BackupOptions options) {
    this(repository, options, PackTap.NONE);
  }

  /** {@code tap}: shown each new pack's full blocks while it is written (a vault backup uploads them meanwhile). */
  public Backup(Repository repository, BackupOptions options, PackTap tap) {
    this.repository = repository;
    this.options = options;
    this.tap = tap;
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

    /** Entries the walk beside an incremental's pass may be ahead of it. */
    private static final int WALK_AHEAD = 4096;
    /**
     * Chunk ids (of the parents' entries) the walk may be ahead with, so a folder of huge files does not hold their
     * chunk lists all at once: 256 Ki ids are about 20 MiB.
     */
    private static final int WALK_AHEAD_CHUNKS = 256 << 10;

    private final Path source;
    private final Snapshot parent;
    private final ProgressListener listener;
    private final Instant started;
    private final int recoveredPacks;
    private final ChunkIndex index = repository.index();
    private final FastCdcChunker chunker = repository.chunker();
    private final ChunkHasher treeHasher = new ChunkHasher(repository.key());
    private DeltaEncoder.Base treeBase;
    private DeltaStage deltas;
    private long treeOffset;
    private final ThreadLocal<FileChunker> fileChunker = ThreadLocal.withInitial(FileChunker::new);
    /** Tree entries in walk order: finished ones, and files still being read. */
    private final ArrayDeque<Future<TreeNode>> pending = new ArrayDeque<>();
    private ExecutorService readers;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong filesDone = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final ConcurrentHashMap<ChunkId, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile BackupProgress.Phase phase = BackupProgress.Phase.SCANNING;
    /** Written by the scan, which runs beside the backup pass when there is a parent (read by the reporter). */
    private volatile long filesTotal;
    private volatile long bytesTotal;
    private long files;
    private long directories;
    private long symlinks;
    private long bytes;
    private PackingPipeline pipeline;
    private TreeWriter tree;
    /** With a parent: the walk running beside the backup pass, and whether its free-space check was made. */
    private CompletableFuture<Long> scanning;
    private Thread scanThread;
    private BlockingQueue<Walked> walkedAhead;
    private final java.util.concurrent.Semaphore chunksAhead = new java.util.concurrent.Semaphore(WALK_AHEAD_CHUNKS);
    private volatile boolean passEnded;
    private boolean spaceChecked;

    Run(Path source, Snapshot parent, ProgressListener listener, Instant started, int recoveredPacks) {
      this.source = source;
      this.parent = parent;
      this.listener = listener;
      this.started = started;
      this.recoveredPacks = recoveredPacks;
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
        if (parent == null) {
          // A first backup checks the space before it writes: a staging location must hold the whole seed.
          checkFreeSpace(scan(null));
          spaceChecked = true;
        }
        phase = BackupProgress.Phase.BACKING_UP;
        pipeline = new PackingPipeline(repository, options, index, inFlight, tap);
        readers = startReaders();
        tree = new TreeWriter(this::storeTreeChunk);
        deltas = new DeltaStage(repository, pipeline, options.keepSignatures());
        treeBase = options.deltas() && parent != null ? DeltaEncoder.Base.of(index, parent.treeChunks()) : null;
        try {
          if (parent == null) {
            SourceWalker.walk(source, this);
          } else {
            backUpWhileScanning();
          }
          addFinishedToTree(0);
          List<ChunkId> treeChunks = tree.finish();
          phase = BackupProgress.Phase.FINISHING;
          deltas.finish();
          pipeline.finish();
          Snapshot snapshot = new Snapshot(RandomId.generate(), Instant.now(), hostName(), source.toString(), options.tags(),
              parent == null ? null : parent.id().hex(), files, directories, symlinks, bytes,
              List.copyOf(warnings.subList(0, Math.min(warnings.size(), Snapshot.MAX_WARNINGS))), treeChunks);
          repository.writeSnapshot(snapshot);
          phase = BackupProgress.Phase.DONE;
          report();
          return new BackupResult(snapshot, bytesRead.get(), pipeline.bytesStored(), pipeline.chunksStored(),
              pipeline.packsWritten(), recoveredPacks, List.copyOf(warnings), Duration.between(started, Instant.now()));
        } finally {
          try {
            stopReaders();
            deltas.close();
          } finally {
            pipeline.abortIfRunning();
          }
        }
      } finally {
        reporter.shutdownNow();
        if (scanThread != null) {
          // A pass that failed stops the walk beside it; nothing of this run goes on after it.
          passEnded = true;
          scanThread.interrupt();
          walkedAhead.clear();
          scanThread.join();
        }
      }
    }

    /**
     * An incremental: one walk, on a thread of its own, merges the source with the parent's tree (from the vault: its
     * download) and counts what there is to read, and hands each entry with its parent's entry to this thread, which
     * backs it up. The free-space check comes when the walk ends, after little has been written.
     */
    private void backUpWhileScanning() throws IOException, InterruptedException {
      BlockingQueue<Walked> walked = new ArrayBlockingQueue<>(WALK_AHEAD);
      walkedAhead = walked;
      scanning = new CompletableFuture<>();
      scanThread = new Thread(() -> {
        try {
          scanning.complete(scan(walked));
        } catch (Throwable t) {
          scanning.completeExceptionally(t);
        } finally {
          handOverEnd(walked);
        }
      }, "seedship-walk");
      scanThread.setDaemon(true);
      scanThread.start();
      for (Walked next = walked.take(); next != Walked.END; next = walked.take()) {
        checkFreeSpaceOnceScanned(false);
        if (next.problem() != null) {
          problem(next.problemPath(), next.problem());
        } else {
          back(next.file(), next.node(), next.previous());
          chunksAhead.release(next.chunkPermits());
        }
      }
      checkFreeSpaceOnceScanned(true);
    }

    /** Tells the pass the walk has ended, unless the pass has ended first (it then takes nothing more). */
    private void handOverEnd(BlockingQueue<Walked> walked) {
      try {
        while (!walked.offer(Walked.END, 50, TimeUnit.MILLISECONDS)) {
          if (passEnded) {
            return;
          }
        }
      } catch (InterruptedException stopped) {
        // the pass ended first and waits for nothing more
      }
    }

    /** Once the walk beside the pass has ended (or, with {@code wait}, after waiting for it): its free-space check. */
    private void checkFreeSpaceOnceScanned(boolean wait) throws IOException, InterruptedException {
      if (spaceChecked || (!wait && !scanning.isDone())) {
        return;
      }
      spaceChecked = true;
      long toRead;
      try {
        toRead = scanning.get();
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new RepositoryException("The scan of " + source + " failed: " + cause, cause);
      }
      checkFreeSpace(toRead);
    }

    /**
     * Counts files and bytes for progress, and the bytes that will really be read (for the space check); with
     * {@code handOver}, also hands every entry with its parent's entry, and every problem, to the pass.
     */
    private long scan(BlockingQueue<Walked> handOver) throws IOException, InterruptedException {
      long[] toRead = {0};
      ParentCursor parentTree = parent == null ? null : new ParentCursor(repository.tree(parent));
      try {
        // Without a parent nothing is compared, so type and size are all the count needs.
        SourceWalker.walk(source, new SourceWalker.Visitor() {
          @Override
          public void entry(Path file, TreeNode node) throws InterruptedException {
            TreeNode previous = null;
            if (node.type() == TreeNode.Type.FILE) {
              previous = parentTree == null ? null : parentTree.entry(node.path());
              filesTotal++;
              bytesTotal += node.size();
              if (!node.unchangedSince(previous)) {
                toRead[0] += node.size();
              }
            }
            if (handOver != null) {
              Walked walked = new Walked(file, node, previous, null, null);
              chunksAhead.acquire(walked.chunkPermits());
              handOver.put(walked);
            }
          }

          @Override
          public void problem(String relativePath, String problem) {
            if (handOver != null) {
              try {
                handOver.put(new Walked(null, null, null, relativePath, problem));
              } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt(); // the walk's next entry ends it
              }
            }
          }
        }, parent != null);
      } finally {
        if (parentTree != null) {
          parentTree.close();
        }
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

    /** A first backup's pass: there is no parent to compare with. */
    @Override
    public void entry(Path file, TreeNode node) throws IOException, InterruptedException {
      back(file, node, null);
    }

    /** Backs up one entry; {@code previous}: the parent's entry for a file, if any. */
    private void back(Path file, TreeNode node, TreeNode previous) throws IOException, InterruptedException {
      pipeline.checkHealthy();
      switch (node.type()) {
        case DIRECTORY -> {
          directories++;
          enqueue(CompletableFuture.completedFuture(node));
        }
        case SYMLINK -> {
          symlinks++;
          enqueue(CompletableFuture.completedFuture(node));
        }
        case FILE -> {
          if (node.unchangedSince(previous) && previous.chunks().stream().allMatch(index::contains)) {
            bytesDone.addAndGet(node.size());
            filesDone.incrementAndGet();
            enqueue(CompletableFuture.completedFuture(node.withContent(previous.fileHash(), previous.chunks(), previous.size())));
          } else {
            TreeNode base = options.deltas() && previous != null && previous.type() == TreeNode.Type.FILE ? previous : null;
            enqueue(readers.submit(() -> fileChunker.get().backUp(file, node, base)));
          }
        }
        default -> throw new IllegalStateException("unknown type " + node.type());
      }
    }

    @Override
    public void problem(String relativePath, String problem) {
      warnings.add((relativePath.isEmpty() ? "." : relativePath) + ": " + problem);
    }

    /** Entries go into the tree in walk order, whichever reader finishes first. */
    private void enqueue(Future<TreeNode> entry) throws IOException, InterruptedException {
      pending.addLast(entry);
      addFinishedToTree(MAX_PENDING_ENTRIES);
    }

    /** Adds finished entries from the head of the queue to the tree; waits while more than {@code limit} are queued. */
    private void addFinishedToTree(int limit) throws IOException, InterruptedException {
      while (!pending.isEmpty() && (pending.peekFirst().isDone() || pending.size() > limit)) {
        TreeNode node = Futures.await(pending.removeFirst(), "reading files");
        if (node == null) {
          continue;
        }
        if (node.type() == TreeNode.Type.FILE) {
          files++;
          bytes += node.size();
        }
        tree.add(node);
      }
    }

    private ExecutorService startReaders() {
      AtomicLong count = new AtomicLong();
      return Executors.newFixedThreadPool(Math.max(1, options.readers()), r -> {
        Thread thread = new Thread(r, "seedship-read-" + count.getAndIncrement());
        thread.setDaemon(true);
        return thread;
      });
    }

    /** Stops the readers; after a failure they may be blocked on memory or reading, so they are interrupted. */
    private void stopReaders() throws InterruptedException {
      if (readers == null) {
        return;
      }
      for (Future<TreeNode> entry : pending) {
        entry.cancel(true);
      }
      pending.clear();
      readers.shutdownNow();
      if (!readers.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new RepositoryException("The backup's file readers did not stop within a minute.");
      }
    }

    /** One reader thread's buffer and hashes: reads, chunks and hashes one file at a time. */
    private final class FileChunker {

      // 3 × max: the bytes kept for the next chunk (< max) are moved to the front at most once per max read.
      private final byte[] buffer = new byte[3 * chunker.maxChunk()];
      private final ChunkHasher hasher = new ChunkHasher(repository.key());
      private final MessageDigest fileDigest = ChunkHasher.newFileDigest();
      /** For deltas against the parent's version of the file being read. */
      private DeltaEncoder.Base base;

      /**
       * The file's tree entry with its content, or null when it could not be read (reported as a problem).
       * {@code base}, when given, is the parent snapshot's entry of the same path: new chunks may be stored
       * as deltas against its chunks at the same offsets.
       */
      TreeNode backUp(Path file, TreeNode node, TreeNode base) throws IOException, InterruptedException {
        this.base = base == null ? null : DeltaEncoder.Base.of(index, base.chunks());
        List<ChunkId> chunks = new ArrayList<>();
        long read;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
          read = chunkFile(in, chunks);
        } catch (NoSuchFileException e) {
          problem(node.path(), Files.exists(file) ? "cannot be read (" + e.getMessage() + "); not in the snapshot"
              : "vanished before it could be read; not in the snapshot");
          filesDone.incrementAndGet();
          return null;
        } catch (IOException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("backup stopped while reading " + node.path());
          }
          problem(node.path(), "read failed (" + SourceWalker.describe(e) + "); not in the snapshot");
          filesDone.incrementAndGet();
          return null;
        }
        TreeNode after = SourceWalker.statBasic(file, node.path());
        if (after == null || read != node.size() || after.size() != node.size() || after.mtimeNanos() != node.mtimeNanos()) {
          problem(node.path(), "changed while being read (" + node.size() + " bytes before, " + read
              + " read); the snapshot holds the bytes read, the next backup reads it again");
        }
        filesDone.incrementAndGet();
        return node.withContent(fileDigest.digest(), List.copyOf(chunks), read);
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
              bytesRead.addAndGet(n);
              bytesDone.addAndGet(n);
            }
          }
          if (start == end) {
            return total;
          }
          int length = chunker.nextChunkLength(buffer, start, end);
          ChunkId id = hasher.id(buffer, start, length);
          fileDigest.update(hasher.contentHash());
          if (!index.contains(id) && inFlight.putIfAbsent(id, Boolean.TRUE) == null) {
            deltas.store(PackEntry.DATA, id, base, total - (end - start), buffer, start, length);
          }
          chunks.add(id);
          start += length;
        }
      }

    }

    /** Tree chunks may be deltas against the parent snapshot's tree stream at the same offsets. */
    private ChunkId storeTreeChunk(byte[] data, int length) throws InterruptedException {
      ChunkId id = treeHasher.id(data, 0, length);
      long at = treeOffset;
      treeOffset += length;
      if (!index.contains(id) && inFlight.putIfAbsent(id, Boolean.TRUE) == null) {
        deltas.store(PackEntry.TREE, id, treeBase, at, data, 0, length);
      }
      return id;
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

  /** What the walk beside an incremental's pass hands over: an entry with its parent's entry, or a problem. */
  private record Walked(Path file, TreeNode node, TreeNode previous, String problemPath, String problem) {
    static final Walked END = new Walked(null, null, null, null, null);

    /** What it counts against the chunk ids the walk may be ahead with (at most all of them). */
    int chunkPermits() {
      return previous == null ? 0 : Math.min(Run.WALK_AHEAD_CHUNKS, previous.chunks().size());
    }
  }

  /** A walk's position in the parent snapshot's tree: both are in tree order, so finding a path's entry is a merge. */
  private static final class ParentCursor {
    private final TreeStream stream;
    private TreeNode next;

    ParentCursor(TreeStream stream) {
      this.stream = stream;
    }

    /** The parent's entry for {@code path}, or null; paths must be asked in tree order. */
    TreeNode entry(String path) {
      while (next == null || TreeOrder.INSTANCE.compare(next.path(), path) < 0) {
        if (!stream.hasNext()) {
          next = null;
          return null;
        }
        next = stream.next();
      }
      return next.path().equals(path) ? next : null;
    }

    void close() {
      stream.close();
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

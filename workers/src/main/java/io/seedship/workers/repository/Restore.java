package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restores a snapshot, or one path of it, into a folder: content (every chunk authenticated and re-hashed),
 * names, types, modes, mtimes; owners when running as root. All-zero chunks become holes, so sparse files
 * stay sparse.
 *
 * <p>How: the tree is streamed and cut into batches of files. For a batch, every chunk it needs is
 * located once (a chunk used by several files or places is decoded once and written to each), the chunks
 * are sorted by pack and offset and grouped into spans of at most {@link #SPAN} bytes read with one
 * positional read each. Worker threads each take a span, read it, then decrypt, decompress, re-hash and
 * write its chunks straight into the files with positional writes; the thread writing a file's last
 * chunk closes it and sets its metadata. At most two batches are in flight, so memory stays bounded by
 * constants (per thread: one span and two chunk buffers) for any snapshot size.
 */
public final class Restore {

  /** Bytes read from a pack with one read (a blob larger than this is read alone). */
  static final int SPAN = 8 << 20;
  /** Unneeded bytes between two needed blobs that are read through rather than skipped with a new read. */
  private static final int GAP = 256 << 10;
  private static final int BATCH_FILES = 1024;
  private static final int BATCH_CHUNKS = 4096;
  private static final int BATCHES_IN_FLIGHT = 2;
  private static final byte[] ZEROS = new byte[64 << 10];

  private final Repository repository;
  private final int workers;

  public Restore(Repository repository, int workers) {
    this.repository = repository;
    this.workers = Math.max(1, workers);
  }

  public RestoreResult run(Snapshot snapshot, String subPath, Path target) {
    String only = normalise(subPath);
    Instant started = Instant.now();
    boolean restoreOwners = "root".equals(System.getProperty("user.name"));
    Run run = new Run(restoreOwners);
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "seedship-restore");
      t.setDaemon(true);
      return t;
    });
    try {
      Files.createDirectories(target);
      Batch batch = new Batch(run);
      boolean first = true;
      try (TreeStream tree = repository.tree(snapshot)) {
        while (tree.hasNext()) {
          TreeNode node = tree.next();
          if (!selected(node.path(), only)) {
            continue;
          }
          run.rethrow();
          Path destination = resolve(target, node.path());
          if (first && node.type() != TreeNode.Type.DIRECTORY) {
            // Below the first selected node the tree lists every folder before its content.
            Files.createDirectories(destination.getParent());
          }
          first = false;
          switch (node.type()) {
            case DIRECTORY -> {
              Files.createDirectories(destination);
              run.dirs.incrementAndGet();
            }
            case SYMLINK -> {
              Files.deleteIfExists(destination);
              Files.createSymbolicLink(destination, Path.of(node.linkTarget()));
              applyMetadata(destination, node, restoreOwners);
              run.symlinks.incrementAndGet();
            }
            case FILE -> {
              TargetFile file = new TargetFile(destination, node);
              if (node.chunks().isEmpty()) {
                file.open();
                file.finish(run);
              } else {
                batch.add(file, repository.index());
                if (batch.full()) {
                  submit(batch, pool, run);
                  batch = new Batch(run);
                }
              }
            }
            default -> throw new IllegalStateException("unknown type");
          }
        }
      }
      submit(batch, pool, run);
      run.inFlight.acquire(BATCHES_IN_FLIGHT);
      run.rethrow();
      restoreDirectoryMetadata(snapshot, only, target, restoreOwners);
      return new RestoreResult(run.files.get(), run.dirs.get(), run.symlinks.get(), run.bytes.get(),
          Duration.between(started, Instant.now()));
    } catch (IOException e) {
      throw new RepositoryException("The restore into " + target + " failed: " + SourceWalker.describe(e)
          + ". Check that the target is writable and has space.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("The restore was interrupted.", e);
    } finally {
      run.failed(new RepositoryException("The restore was stopped."));
      pool.shutdownNow();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      run.readers.forEach(ChunkReader::close);
      run.closeOpenFiles();
    }
  }

  private void submit(Batch batch, ExecutorService pool, Run run) throws InterruptedException {
    if (batch.files == 0) {
      return;
    }
    run.inFlight.acquire();
    List<Span> spans = batch.spans();
    if (spans.isEmpty()) {
      // Every chunk of this batch went to a batch still in flight (see Batch#add).
      run.inFlight.release();
      return;
    }
    batch.needs.forEach(run.planned::put);
    AtomicInteger left = new AtomicInteger(spans.size());
    for (Span span : spans) {
      pool.execute(() -> {
        try {
          if (run.failure.get() == null) {
            restoreSpan(span, run);
          }
        } catch (RuntimeException | Error e) {
          run.failed(e);
        } finally {
          if (left.decrementAndGet() == 0) {
            batch.needs.forEach(run.planned::remove);
            run.inFlight.release();
          }
        }
      });
    }
  }

  private void restoreSpan(Span span, Run run) {
    Worker worker = run.worker(repository);
    Needed firstNeed = span.needs.get(0);
    ChunkLocation first = firstNeed.location;
    Needed lastNeed = span.needs.get(span.needs.size() - 1);
    long start = first.offset();
    int length = (int) (lastNeed.location.offset() + lastNeed.location.storedLength() - start);
    byte[] sealed = worker.sealed(length);
    worker.reader.readSpan(first.pack(), first.packLength(), start, sealed, length);
    for (Needed need : span.needs) {
      if (run.failure.get() != null) {
        return;
      }
      int places = need.start();
      ChunkLocation location = need.location;
      byte[] out = worker.plain(location.rawLength());
      byte[] plain = worker.reader.openAndCheck(location, sealed, (int) (location.offset() - start), location.storedLength(), out);
      int offset = worker.reader.plainOffset();
      boolean zero = allZero(plain, offset, location.rawLength());
      for (int i = 0; i < places; i++) {
        need.files.get(i).write(plain, offset, location.rawLength(), need.positions[i], zero, run);
      }
    }
  }

  private void restoreDirectoryMetadata(Snapshot snapshot, String only, Path target, boolean owners) throws IOException {
    try (TreeStream tree = repository.tree(snapshot)) {
      while (tree.hasNext()) {
        TreeNode node = tree.next();
        if (node.type() == TreeNode.Type.DIRECTORY && selected(node.path(), only)) {
          applyMetadata(resolve(target, node.path()), node, owners);
        }
      }
    }
  }

  /** Owner first (chown clears setuid bits), then mode, then mtime (anything else would touch it again). */
  private static void applyMetadata(Path path, TreeNode node, boolean owners) throws IOException {
    if (owners) {
      Files.setAttribute(path, "unix:uid", node.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", node.gid(), LinkOption.NOFOLLOW_LINKS);
    }
    if (node.type() != TreeNode.Type.SYMLINK) {
      Files.setAttribute(path, "unix:mode", node.mode());
    }
    FileTime mtime = FileTime.from(node.mtimeNanos(), TimeUnit.NANOSECONDS);
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
    } catch (IOException | UnsupportedOperationException e) {
      if (node.type() != TreeNode.Type.SYMLINK) {
        throw e;
      }
      // Some platforms cannot set a symbolic link's own time; its target and name are what matter.
    }
  }

  private static boolean allZero(byte[] data, int offset, int length) {
    for (int at = 0; at < length; at += ZEROS.length) {
      int n = Math.min(ZEROS.length, length - at);
      if (Arrays.mismatch(data, offset + at, offset + at + n, ZEROS, 0, n) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean selected(String path, String only) {
    return only.isEmpty() || path.equals(only) || path.startsWith(only + "/");
  }

  private static String normalise(String subPath) {
    if (subPath == null) {
      return "";
    }
    String trimmed = subPath.replace('\\', '/');
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.equals(".") ? "" : trimmed;
  }

  /** Refuses tree paths that would escape the target folder (a hostile or damaged tree). */
  private static Path resolve(Path target, String path) {
    if (path.isEmpty()) {
      return target;
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new ChunkCorruptedException("The snapshot holds the unsafe path '" + path + "': refusing to restore it.");
      }
    }
    return target.resolve(path);
  }

  /** State shared by the threads of one restore: first failure, counters, per-thread readers, open files. */
  private static final class Run {
    final boolean owners;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
    final AtomicLong files = new AtomicLong();
    final AtomicLong dirs = new AtomicLong();
    final AtomicLong symlinks = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final Queue<ChunkReader> readers = new ConcurrentLinkedQueue<>();
    final Map<TargetFile, Boolean> open = new ConcurrentHashMap<>();
    /**
     * Needed chunks of the batches in flight, by id: a later batch adds its places to a chunk that is not
     * being decoded yet instead of decoding it again (copies of a file can straddle a batch
     * boundary). Holds at most two batches' chunks.
     */
    final Map<ChunkId, Needed> planned = new ConcurrentHashMap<>();
    private final ThreadLocal<Worker> workers = new ThreadLocal<>();

    Run(boolean owners) {
      this.owners = owners;
    }

    Worker worker(Repository repository) {
      Worker worker = workers.get();
      if (worker == null) {
        ChunkReader reader = repository.newReader();
        readers.add(reader);
        worker = new Worker(reader);
        workers.set(worker);
      }
      return worker;
    }

    void failed(Throwable e) {
      failure.compareAndSet(null, e);
    }

    /** Rethrows the first failure of a worker as it was (each damage has its own exception type). */
    void rethrow() throws IOException {
      Throwable e = failure.get();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      if (e instanceof Error error) {
        throw error;
      }
    }

    void closeOpenFiles() {
      for (TargetFile file : open.keySet()) {
        file.closeQuietly();
      }
    }
  }

  /** One restore thread's reader and buffers, reused for every span it handles. */
  private static final class Worker {
    final ChunkReader reader;
    private byte[] sealed = new byte[0];
    private byte[] plain = new byte[0];

    Worker(ChunkReader reader) {
      this.reader = reader;
    }

    byte[] sealed(int length) {
      if (sealed.length < length) {
        sealed = new byte[Math.max(length, SPAN)];
      }
      return sealed;
    }

    byte[] plain(int length) {
      if (plain.length < length) {
        plain = new byte[length];
      }
      return plain;
    }
  }

  /** A chunk a batch needs, once, with every place it goes to. */
  private static final class Needed {
    final ChunkLocation location;
    final List<TargetFile> files = new ArrayList<>(1);
    long[] positions = new long[1];
    private boolean started;

    Needed(ChunkLocation location) {
      this.location = location;
    }

    /**
     * Adds a place of a later batch while no thread has begun decoding this chunk; false once one has
     * (the later batch then decodes the chunk itself).
     */
    synchronized boolean attach(TargetFile file, long position) {
      if (started) {
        return false;
      }
      add(file, position);
      return true;
    }

    /** Called by the decoding thread: fixes the places (no attach after this) and returns their count. */
    synchronized int start() {
      started = true;
      return files.size();
    }

    void add(TargetFile file, long position) {
      if (files.size() == positions.length) {
        positions = Arrays.copyOf(positions, positions.length * 2);
      }
      positions[files.size()] = position;
      files.add(file);
    }
  }

  /** Needed chunks of one pack close together: one read. */
  private record Span(List<Needed> needs) {
  }

  /** Files whose chunks are fetched together. */
  private static final class Batch {
    final Run run;
    final Map<ChunkId, Needed> needs = new HashMap<>();
    int files;
    int references;

    Batch(Run run) {
      this.run = run;
    }

    void add(TargetFile file, ChunkIndex index) {
      // Set before any place is attached to a batch in flight, whose threads may write this file at once.
      file.remaining.set(file.node.chunks().size());
      long position = 0;
      for (ChunkId id : file.node.chunks()) {
        Needed need = needs.get(id);
        if (need == null) {
          Needed earlier = run.planned.get(id);
          if (earlier != null && earlier.attach(file, position)) {
            position += earlier.location.rawLength();
            references++;
            continue;
          }
          ChunkLocation location = index.locate(id);
          if (location == null) {
            throw new PackMissingException("Chunk " + id.shortHex() + " of " + file.node.path() + " is in no index file: "
                + "the pack holding it is missing or was never finished. Run 'seedship verify' to see the affected files.");
          }
          need = new Needed(location);
          needs.put(id, need);
        }
        need.add(file, position);
        position += need.location.rawLength();
        references++;
      }
      files++;
    }

    boolean full() {
      return files >= BATCH_FILES || references >= BATCH_CHUNKS;
    }

    List<Span> spans() {
      List<Needed> sorted = new ArrayList<>(needs.values());
      sorted.sort(Comparator.comparing((Needed n) -> n.location.pack().hex()).thenComparingInt(n -> n.location.offset()));
      List<Span> spans = new ArrayList<>();
      List<Needed> current = new ArrayList<>();
      for (Needed need : sorted) {
        if (!current.isEmpty()) {
          ChunkLocation head = current.get(0).location;
          ChunkLocation tail = current.get(current.size() - 1).location;
          ChunkLocation next = need.location;
          long end = (long) next.offset() + next.storedLength();
          boolean samePack = head.pack().equals(next.pack());
          if (!samePack || next.offset() - ((long) tail.offset() + tail.storedLength()) > GAP || end - head.offset() > SPAN) {
            spans.add(new Span(current));
            current = new ArrayList<>();
          }
        }
        current.add(need);
      }
      if (!current.isEmpty()) {
        spans.add(new Span(current));
      }
      return spans;
    }
  }

  /**
   * One file being restored. Opened by the first chunk written, closed by the thread writing its last chunk
   * (positional writes need no order); then its length (a trailing hole), mode, owner and mtime are set.
   */
  private static final class TargetFile {
    final Path path;
    final TreeNode node;
    final AtomicInteger remaining = new AtomicInteger();
    private FileChannel channel;
    private long end;

    TargetFile(Path path, TreeNode node) {
      this.path = path;
      this.node = node;
    }

    void open() throws IOException {
      try {
        // A fresh target is the common case: one system call instead of three checks and an open.
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (Files.isSymbolicLink(path) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(path);
        } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.setAttribute(path, "unix:mode", 0600);
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      }
    }

    void write(byte[] data, int offset, int length, long position, boolean zero, Run run) {
      try {
        FileChannel target;
        synchronized (this) {
          if (channel == null) {
            open();
            run.open.put(this, Boolean.TRUE);
          }
          target = channel;
          end = Math.max(end, zero ? 0 : position + length);
        }
        if (!zero) {
          ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
          while (buffer.hasRemaining()) {
            target.write(buffer, position + buffer.position() - offset);
          }
        }
        if (remaining.decrementAndGet() == 0) {
          finish(run);
          run.open.remove(this);
        }
      } catch (IOException e) {
        throw new RepositoryException("Writing " + path + " failed: " + SourceWalker.describe(e)
            + ". Check that the target is writable and has space.", e);
      }
    }

    /** All content is written: sets the length (the file may end in a hole), closes, sets metadata. */
    void finish(Run run) throws IOException {
      FileChannel target;
      long written;
      synchronized (this) {
        target = channel;
        written = end;
      }
      if (written < node.size()) {
        target.write(ByteBuffer.wrap(new byte[1]), node.size() - 1);
      }
      target.close();
      applyMetadata(path, node, run.owners);
      run.files.incrementAndGet();
      run.bytes.addAndGet(node.size());
    }

    synchronized void closeQuietly() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // the restore already failed; that failure is what gets reported
      }
    }
  }
}

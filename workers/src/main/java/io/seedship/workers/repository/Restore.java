package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Restores a snapshot, or one path of it, into a folder: content (re-hashed chunk by chunk), names,
 * types, modes, mtimes; owners when running as root. Chunks are fetched and decoded on a small pool and
 * written in order; all-zero chunks become holes, so sparse files stay sparse.
 */
public final class Restore {

  private static final int CHUNKS_AHEAD = 12;

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
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "seedship-restore");
      t.setDaemon(true);
      return t;
    });
    BlockingQueue<ChunkReader> readers = new ArrayBlockingQueue<>(workers);
    for (int i = 0; i < workers; i++) {
      readers.add(repository.newReader());
    }
    long[] counts = new long[4];
    try {
      Files.createDirectories(target);
      Deque<Step> steps = new ArrayDeque<>();
      int ahead = 0;
      try (TreeStream tree = repository.tree(snapshot)) {
        while (tree.hasNext()) {
          TreeNode node = tree.next();
          if (!selected(node.path(), only)) {
            continue;
          }
          Path destination = resolve(target, node.path());
          switch (node.type()) {
            case DIRECTORY -> {
              Files.createDirectories(destination);
              counts[1]++;
            }
            case SYMLINK -> {
              Files.createDirectories(destination.getParent());
              Files.deleteIfExists(destination);
              Files.createSymbolicLink(destination, Path.of(node.linkTarget()));
              applyMetadata(destination, node, restoreOwners);
              counts[2]++;
            }
            case FILE -> {
              FileSink sink = new FileSink(destination, node);
              steps.add(new Step(sink, null));
              for (ChunkId chunk : node.chunks()) {
                steps.add(new Step(sink, pool.submit(() -> fetch(readers, chunk))));
                if (++ahead >= CHUNKS_AHEAD) {
                  ahead -= drain(steps, 1, restoreOwners, counts);
                }
              }
              steps.add(new Step(sink, null));
            }
            default -> throw new IllegalStateException("unknown type");
          }
        }
      }
      drain(steps, Integer.MAX_VALUE, restoreOwners, counts);
      restoreDirectoryMetadata(snapshot, only, target, restoreOwners);
      return new RestoreResult(counts[0], counts[1], counts[2], counts[3], Duration.between(started, Instant.now()));
    } catch (IOException e) {
      throw new RepositoryException("The restore into " + target + " failed: " + SourceWalker.describe(e)
          + ". Check that the target is writable and has space.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("The restore was interrupted.", e);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      readers.forEach(ChunkReader::close);
    }
  }

  private static byte[] fetch(BlockingQueue<ChunkReader> readers, ChunkId chunk) throws InterruptedException {
    ChunkReader reader = readers.take();
    try {
      return reader.read(chunk);
    } finally {
      readers.put(reader);
    }
  }

  /** Executes steps from the head until {@code chunks} chunk steps were written; returns how many. */
  private int drain(Deque<Step> steps, int chunks, boolean owners, long[] counts) throws IOException, InterruptedException {
    int written = 0;
    while (!steps.isEmpty() && written < chunks) {
      Step step = steps.poll();
      if (step.chunk() == null) {
        if (step.sink().channel == null) {
          step.sink().open();
        } else {
          step.sink().close(owners);
          counts[0]++;
          counts[3] += step.sink().node.size();
        }
        continue;
      }
      try {
        step.sink().write(step.chunk().get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RepositoryException re) {
          throw re;
        }
        throw new RepositoryException("Reading a chunk failed: " + e.getCause(), e.getCause());
      }
      written++;
    }
    return written;
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

  private record Step(FileSink sink, Future<byte[]> chunk) {
  }

  /** One file being written: holes for zero chunks, final length, then mode, owner and mtime. */
  private static final class FileSink {
    private final Path path;
    private final TreeNode node;
    private FileChannel channel;
    private long position;

    FileSink(Path path, TreeNode node) {
      this.path = path;
      this.node = node;
    }

    void open() throws IOException {
      Files.createDirectories(path.getParent());
      if (Files.isSymbolicLink(path) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(path);
      }
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.setAttribute(path, "unix:mode", 0600);
      }
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    void write(byte[] data) throws IOException {
      if (!allZero(data)) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          channel.write(buffer, position + buffer.position());
        }
      }
      position += data.length;
    }

    void close(boolean owners) throws IOException {
      if (channel.size() < position) {
        channel.write(ByteBuffer.wrap(new byte[1]), position - 1);
      }
      channel.close();
      applyMetadata(path, node, owners);
    }

    private static boolean allZero(byte[] data) {
      for (byte b : data) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }
  }
}

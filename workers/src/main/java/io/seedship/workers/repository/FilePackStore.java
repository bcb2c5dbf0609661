package io.seedship.workers.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs as files {@code data/xx/<pack-id>} of a repository folder (docs/repository-format.md §1). Reads go
 * straight from a {@link FileChannel} into the caller's array, as before the store existed.
 */
public final class FilePackStore implements PackStore {

  private final RepositoryLayout layout;

  public FilePackStore(Path repositoryRoot) {
    this(new RepositoryLayout(repositoryRoot));
  }

  FilePackStore(RepositoryLayout layout) {
    this.layout = layout;
  }

  @Override
  public PackSource open(RandomId pack) {
    Path file = layout.pack(pack);
    try {
      return new FileSource(pack, file, FileChannel.open(file, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      throw new PackMissingException("Pack " + pack + " is missing (" + file + "). Copy it back from another "
          + "copy of the repository, or run verify to see which files are affected.", e);
    } catch (IOException e) {
      throw new RepositoryException("Pack " + pack + " cannot be opened (" + e.getMessage() + "): check permissions and the disk.", e);
    }
  }

  @Override
  public List<RandomId> list() {
    try {
      return listFiles().stream().map(f -> RandomId.parse(f.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("The data folder of " + layout.root() + " cannot be listed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe(RandomId pack) {
    return layout.pack(pack).toString();
  }

  /** The finished pack files (temporary files left out), sorted. */
  List<Path> listFiles() throws IOException {
    List<Path> packs = new ArrayList<>();
    if (!Files.isDirectory(layout.data())) {
      return packs;
    }
    try (Stream<Path> files = Files.walk(layout.data(), 2)) {
      files.filter(f -> RandomId.isValid(f.getFileName().toString()) && Files.isRegularFile(f)).forEach(packs::add);
    }
    packs.sort(null);
    return packs;
  }

  private static final class FileSource implements PackSource {
    private final RandomId pack;
    private final Path file;
    private final FileChannel channel;

    FileSource(RandomId pack, Path file, FileChannel channel) {
      this.pack = pack;
      this.file = file;
      this.channel = channel;
    }

    @Override
    public long length() throws IOException {
      return channel.size();
    }

    @Override
    public void readFully(long position, byte[] into, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(into, offset, length);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position() - offset);
        if (n < 0) {
          throw PackReader.truncated(pack, file.toString(), "it ends at " + (position + buffer.position() - offset)
              + " bytes, inside a blob that should end at " + (position + length));
        }
      }
    }

    @Override
    public String describe() {
      return file.toString();
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // read-only channel: nothing to lose
      }
    }
  }
}

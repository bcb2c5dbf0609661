package io.seedship.workers.repository;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block signatures of stored chunks, one file per pack in a local folder (docs/repository-format.md §9): a cache
 * beside the repository, never uploaded, made when the chunks were at hand anyway (a backup storing them, the
 * seed copy's read-data verify). A missing, damaged or foreign entry reads as none: the backup then reads the base
 * chunk back instead, as it would without signatures. Safe for concurrent use.
 */
final class SignatureStore {

  /** A file's pack entries and where each signature lies, sorted by offset in the pack. */
  private record Table(int[] packOffsets, int[] entryOffsets, int[] entryLengths) {
  }

  /** One signature to write, with its chunk's offset in the pack. */
  record Entry(int packOffset, ChunkSignature signature) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(SignatureStore.class);
  private static final byte[] MAGIC = "SSSIG001".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 4 + 4;
  private static final int TABLE_ROW = 12;
  private static final int TABLES_KEPT = 256;

  private final Path dir;
  private final Map<RandomId, Table> tables = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<RandomId, Table> eldest) {
      return size() > TABLES_KEPT;
    }
  };

  SignatureStore(Path dir) {
    this.dir = dir;
  }

  Path file(RandomId pack) {
    return dir.resolve(pack.hex());
  }

  /**
   * Writes the signatures of a pack's chunks (temporary file, renamed into place; not forced: a file cut short by a
   * crash fails its checks and reads as none). A failure only costs speed later, so it is logged, not thrown.
   */
  void write(RandomId pack, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> Integer.compare(a.packOffset(), b.packOffset()));
    Path target = file(pack);
    Path tmp = AtomicFiles.temporaryFor(target);
    try {
      List<byte[]> encoded = new ArrayList<>(sorted.size());
      for (Entry entry : sorted) {
        encoded.add(encode(entry.signature()));
      }
      ByteBuffer head = ByteBuffer.allocate(HEADER + TABLE_ROW * sorted.size());
      head.put(MAGIC).putInt(ChunkSignature.BLOCK).putInt(sorted.size());
      int at = head.capacity();
      for (int i = 0; i < sorted.size(); i++) {
        head.putInt(sorted.get(i).packOffset()).putInt(at).putInt(encoded.get(i).length);
        at += encoded.get(i).length;
      }
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        writeFully(channel, head.flip());
        for (byte[] bytes : encoded) {
          writeFully(channel, ByteBuffer.wrap(bytes));
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      synchronized (tables) {
        tables.remove(pack);
      }
    } catch (IOException e) {
      LOG.warn("Cannot write the block signatures of pack {} into {} ({}): the next backups read its chunks back when they "
          + "look for deltas against them, which is slower from the vault", pack, dir, e.toString());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover temporary file is never read
      }
    }
  }

  /** The signature of the chunk at {@code location}, or null when there is none that checks out. */
  ChunkSignature find(ChunkLocation location) {
    Path file = file(location.pack());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Table table = table(location.pack(), channel);
      if (table == null) {
        return null;
      }
      int row = Arrays.binarySearch(table.packOffsets(), location.offset());
      if (row < 0) {
        return null;
      }
      ByteBuffer bytes = ByteBuffer.allocate(table.entryLengths()[row]);
      readFully(channel, bytes, table.entryOffsets()[row]);
      ChunkSignature signature = decode(bytes.array());
      return signature != null && signature.id().equals(location.id()) && signature.rawLength() == location.rawLength() ? signature : null;
    } catch (NoSuchFileException missing) {
      return null;
    } catch (IOException | RuntimeException unreadable) {
      LOG.warn("The block signatures of pack {} in {} cannot be read ({}): its chunks are read back instead", location.pack(), dir,
          unreadable.toString());
      return null;
    }
  }

  private Table table(RandomId pack, FileChannel channel) throws IOException {
    synchronized (tables) {
      Table known = tables.get(pack);
      if (known != null) {
        return known;
      }
    }
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(channel, head, 0);
    byte[] magic = new byte[MAGIC.length];
    head.flip().get(magic);
    int block = head.getInt();
    int count = head.getInt();
    if (!Arrays.equals(magic, MAGIC) || block != ChunkSignature.BLOCK || count < 0 || (long) count * TABLE_ROW > channel.size()) {
      return null; // another version's or another block size's file: as if there were none
    }
    ByteBuffer rows = ByteBuffer.allocate(count * TABLE_ROW);
    readFully(channel, rows, HEADER);
    rows.flip();
    Table table = new Table(new int[count], new int[count], new int[count]);
    for (int i = 0; i < count; i++) {
      table.packOffsets()[i] = rows.getInt();
      table.entryOffsets()[i] = rows.getInt();
      table.entryLengths()[i] = rows.getInt();
      if (table.entryLengths()[i] < 0 || (long) table.entryOffsets()[i] + table.entryLengths()[i] > channel.size()
          || (i > 0 && table.packOffsets()[i] <= table.packOffsets()[i - 1])) {
        return null;
      }
    }
    synchronized (tables) {
      tables.put(pack, table);
    }
    return table;
  }

  /** entry = chunk id (32) ‖ raw length (4) ‖ kind (1) ‖ [delta: bases, runs] ‖ block hashes (8 each) ‖ CRC-32C (4). */
  static byte[] encode(ChunkSignature signature) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(48 + 8 * signature.blocks().length);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(signature.id().bytes());
    out.writeInt(signature.rawLength());
    out.writeByte(signature.delta() ? 1 : 0);
    if (signature.delta()) {
      out.writeShort(signature.bases().size());
      for (ChunkDelta.Base base : signature.bases()) {
        out.write(base.id().bytes());
        out.writeInt(base.start());
        out.writeInt(base.length());
      }
      out.writeInt(signature.runs().size());
      for (ChunkSignature.Range run : signature.runs()) {
        out.writeInt(run.position());
        out.writeInt(run.length());
      }
    }
    for (long block : signature.blocks()) {
      out.writeLong(block);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  /** The signature encoded in {@code entry}, or null when its checksum or structure does not hold. */
  static ChunkSignature decode(byte[] entry) {
    if (entry.length < 4) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(entry, 0, entry.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(entry, entry.length - 4, 4).getInt()) {
      return null;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(entry, 0, entry.length - 4);
      ChunkId id = readId(in);
      int rawLength = in.getInt();
      boolean delta = in.get() == 1;
      List<ChunkDelta.Base> bases = new ArrayList<>();
      List<ChunkSignature.Range> runs = new ArrayList<>();
      if (delta) {
        int baseCount = in.getShort() & 0xffff;
        for (int i = 0; i < baseCount; i++) {
          bases.add(new ChunkDelta.Base(readId(in), in.getInt(), in.getInt()));
        }
        int runCount = in.getInt();
        if (runCount < 0 || runCount > in.remaining() / 8) {
          return null;
        }
        for (int i = 0; i < runCount; i++) {
          runs.add(new ChunkSignature.Range(in.getInt(), in.getInt()));
        }
      }
      if (rawLength < 0 || in.remaining() != 8L * ChunkSignature.blockCount(rawLength)) {
        return null;
      }
      long[] blocks = new long[ChunkSignature.blockCount(rawLength)];
      in.asLongBuffer().get(blocks);
      return new ChunkSignature(id, rawLength, delta, bases, runs, blocks);
    } catch (BufferUnderflowException | IllegalArgumentException malformed) {
      return null;
    }
  }

  private static ChunkId readId(ByteBuffer in) {
    byte[] id = new byte[ChunkId.LENGTH];
    in.get(id);
    return new ChunkId(id);
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("the file ends early");
      }
    }
  }
}

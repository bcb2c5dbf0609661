package io.seedship.workers.repository;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;

/** The {@code index/} folder (docs §5). */
final class IndexFiles {

  static final int MAX_PACKS_PER_FILE = 64;
  private static final byte[] AAD = "seedship-index-v1".getBytes(StandardCharsets.US_ASCII);

  private IndexFiles() {
  }

  static void write(RepositoryLayout layout, Aead aead, List<PackSummary> packs) throws IOException {
    if (packs.isEmpty()) {
      return;
    }
    RandomId indexId = RandomId.generate();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(PackFormat.VERSION);
    out.writeInt(packs.size());
    for (PackSummary pack : packs) {
      out.write(pack.id().bytes());
      out.writeLong(pack.length());
      PackFormat.writeEntries(out, pack.entries());
    }
    AtomicFiles.write(layout.index(indexId), aead.seal(bytes.toByteArray(), aad(indexId)));
  }

  static List<PackSummary> readAll(RepositoryLayout layout, Aead aead) {
    List<PackSummary> packs = new ArrayList<>();
    for (Path file : list(layout)) {
      packs.addAll(read(file, aead));
    }
    return packs;
  }

  static List<Path> list(RepositoryLayout layout) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(layout.indexDir())) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(layout.indexDir())) {
      for (Path file : stream) {
        if (RandomId.isValid(file.getFileName().toString())) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new RepositoryException("The index folder of " + layout.root() + " cannot be listed: " + e.getMessage(), e);
    }
    files.sort(null);
    return files;
  }

  static List<PackSummary> read(Path file, Aead aead) {
    RandomId indexId = RandomId.parse(file.getFileName().toString());
    try {
      byte[] plain = aead.open(Files.readAllBytes(file), aad(indexId));
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
      if (in.readByte() != PackFormat.VERSION) {
        throw new NotARepositoryException("Index file " + file + " has an unknown version: use a matching Seedship release.");
      }
      int count = in.readInt();
      List<PackSummary> packs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] packId = new byte[RandomId.LENGTH];
        in.readFully(packId);
        long length = in.readLong();
        packs.add(new PackSummary(RandomId.of(packId), length, PackFormat.readEntries(in)));
      }
      return packs;
    } catch (AEADBadTagException e) {
      throw new NotARepositoryException("Index file " + file + " fails authentication: it was changed or damaged. "
          + "Delete it and run a backup or verify: the index is rebuilt from the pack headers.", e);
    } catch (IOException e) {
      throw new NotARepositoryException("Index file " + file + " cannot be read (" + e.getMessage()
          + "). Delete it and run a backup: the index is rebuilt from the pack headers.", e);
    }
  }

  private static byte[] aad(RandomId indexId) {
    byte[] aad = new byte[AAD.length + RandomId.LENGTH];
    System.arraycopy(AAD, 0, aad, 0, AAD.length);
    System.arraycopy(indexId.bytes(), 0, aad, AAD.length, RandomId.LENGTH);
    return aad;
  }
}

package io.seedship.workers.vault;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a backup knows of its recovery point before the snapshot is committed (docs/vault.md §2, §4): kept in the
 * cache as {@code points/<snap-id>.properties} until the catalogue has the point, so a run that dies after the
 * commit still records the right figures. {@code points/carry-over} counts bytes uploaded without a snapshot yet
 * (packs of an interrupted backup), added to the next recovery point.
 */
record PointFigures(String snapshotId, String requestId, RecoveryPointKind kind, long changedBytes, long uploadBytes) {

  private static final String CARRY_OVER = "carry-over";

  void write(Path pointsDir) {
    Properties p = new Properties();
    if (requestId != null) {
      p.setProperty("requestId", requestId);
    }
    p.setProperty("kind", kind.name());
    p.setProperty("changedBytes", Long.toString(changedBytes));
    p.setProperty("uploadBytes", Long.toString(uploadBytes));
    StringWriter text = new StringWriter();
    try {
      p.store(text, "Seedship vault: figures of a recovery point not yet in the catalogue");
      writeAtomically(pointsDir.resolve(snapshotId + ".properties"), text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the recovery point figures into " + pointsDir + ": " + e.getMessage(), e);
    }
  }

  static Optional<PointFigures> read(Path pointsDir, String snapshotId) {
    Path file = pointsDir.resolve(snapshotId + ".properties");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
      return Optional.of(new PointFigures(snapshotId, p.getProperty("requestId"), RecoveryPointKind.valueOf(p.getProperty("kind")),
          Long.parseLong(p.getProperty("changedBytes")), Long.parseLong(p.getProperty("uploadBytes"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // damaged: the point is recorded with unknown figures
    }
  }

  static void delete(Path pointsDir, String snapshotId) {
    try {
      Files.deleteIfExists(pointsDir.resolve(snapshotId + ".properties"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + pointsDir.resolve(snapshotId + ".properties") + ": " + e.getMessage(), e);
    }
  }

  static long carryOver(Path pointsDir) {
    Path file = pointsDir.resolve(CARRY_OVER);
    try {
      return Files.isRegularFile(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static void setCarryOver(Path pointsDir, long bytes) {
    try {
      if (bytes == 0) {
        Files.deleteIfExists(pointsDir.resolve(CARRY_OVER));
      } else {
        writeAtomically(pointsDir.resolve(CARRY_OVER), Long.toString(bytes));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + pointsDir.resolve(CARRY_OVER) + ": " + e.getMessage(), e);
    }
  }


  private static void writeAtomically(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
      out.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}

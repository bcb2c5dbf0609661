package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongConsumer;
import javax.crypto.AEADBadTagException;

/**
 * Reads a sealed drive with its recovery password, as the datacenter import does: checks header,
 * journal and manifest when opened, then verifies or extracts every file, authenticating every chunk and
 * comparing SHA-256 and per-block MD5 with the manifest (docs/drive-format.md §8).
 */
public final class ReadDrive {

  private final DriveLayout layout;
  private final DriveContext context;
  private final byte[] volumeKey;
  private final DriveManifest manifest;
  private final String manifestSha256;

  private ReadDrive(DriveLayout layout, DriveContext context, byte[] volumeKey, DriveManifest manifest, String manifestSha256) {
    this.layout = layout;
    this.context = context;
    this.volumeKey = volumeKey;
    this.manifest = manifest;
    this.manifestSha256 = manifestSha256;
  }

  /**
   * @param expectedManifestSha256 the hash recorded in the key store (null to trust the drive's journal alone)
   */
  public static ReadDrive open(Path drive, RecoveryPassword password, String expectedManifestSha256) {
    DriveLayout layout = new DriveLayout(drive);
    VolumeHeader header = VolumeHeader.read(layout.volume());
    byte[] key = header.unlock(password, drive);
    DriveContext context = header.context();
    List<JournalRecord> records = DriveJournal.readSealed(layout.journal(), context, key);
    JournalRecord.Sealed sealed = records.stream().filter(r -> r instanceof JournalRecord.Sealed)
        .map(r -> (JournalRecord.Sealed) r).findFirst()
        .orElseThrow(() -> new DriveNotSealedException("Drive " + context.driveId() + " at " + drive + " was never sealed: its "
            + "preparation did not finish. Resume the preparation, or prepare the drive again."));
    byte[] stored;
    try {
      stored = Files.readAllBytes(layout.manifest());
    } catch (NoSuchFileException e) {
      throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " is missing although the drive is "
          + "sealed: it was deleted. Prepare the drive again.", e);
    } catch (IOException e) {
      throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " cannot be read (" + e.getMessage() + ").", e);
    }
    String hash = DriveManifest.hash(stored);
    if (!hash.equals(sealed.manifestSha256()) || (expectedManifestSha256 != null && !hash.equals(expectedManifestSha256))) {
      throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " has SHA-256 " + hash + ", but "
          + (hash.equals(sealed.manifestSha256()) ? expectedManifestSha256 + " was recorded for it"
          : sealed.manifestSha256() + " was sealed into its journal") + ": it was changed. Prepare the drive again.");
    }
    DriveManifest manifest;
    try {
      manifest = DriveManifest.open(stored, key, context);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " does not authenticate: it was "
          + "changed. Prepare the drive again.", e);
    }
    List<JournalRecord.FileWritten> files = records.stream().filter(r -> r instanceof JournalRecord.FileWritten)
        .map(r -> (JournalRecord.FileWritten) r).sorted((a, b) -> Integer.compare(a.index(), b.index())).toList();
    if (files.size() != manifest.entries().size() || sealed.files() != files.size()) {
      throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " lists " + manifest.entries().size()
          + " files, its journal " + files.size() + ": prepare the drive again.");
    }
    for (int i = 0; i < files.size(); i++) {
      JournalRecord.FileWritten f = files.get(i);
      ManifestEntry e = manifest.entries().get(i);
      if (f.index() != e.index() || f.size() != e.size() || !f.path().equals(e.path())) {
        throw new ManifestTamperedException("The manifest of drive " + context.driveId() + " and its journal disagree about "
            + e.path() + ": prepare the drive again.");
      }
    }
    return new ReadDrive(layout, context, key, manifest, hash);
  }

  public DriveManifest manifest() {
    return manifest;
  }

  public String manifestSha256() {
    return manifestSha256;
  }

  public String driveId() {
    return context.driveId();
  }

  public String importJob() {
    return context.importJob();
  }

  /** Reads and checks every file; throws at the first damage. Returns the plaintext bytes checked. */
  public long verify(LongConsumer progress) {
    return readAll(null, progress);
  }

  /** Decrypts every file to {@code target}/path (written under a temporary name, renamed when checked). */
  public long extractTo(Path target, LongConsumer progress) {
    return readAll(target, progress);
  }

  private long readAll(Path target, LongConsumer progress) {
    long total = 0;
    try (FileDecryptor decryptor = new FileDecryptor(volumeKey, true)) {
      for (ManifestEntry entry : manifest.entries()) {
        String what = "file " + DriveLayout.storedName(entry.index()) + " (" + entry.path() + ") on drive " + context.driveId();
        byte[] aad = ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, entry.index());
        FileDecryptor.Decrypted result;
        if (target == null) {
          result = decryptor.decrypt(layout.dataFile(entry.index()), entry.size(), aad, what, null, progress);
        } else {
          Path out = target.resolve(entry.path());
          Files.createDirectories(out.getParent());
          Path tmp = out.resolveSibling(out.getFileName() + AtomicWrite.TMP_MARK + "extract");
          try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
            result = decryptor.decrypt(layout.dataFile(entry.index()), entry.size(), aad, what, (data, length) -> {
              ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
              while (buffer.hasRemaining()) {
                channel.write(buffer);
              }
            }, progress);
          }
          check(entry, result, what);
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        if (target == null) {
          check(entry, result, what);
        }
        total += entry.size();
      }
    } catch (IOException e) {
      throw new DriveIntegrityException("Reading drive " + context.driveId() + " failed: " + e.getMessage()
          + ". Check the drive's connection and the target folder.", e);
    }
    return total;
  }

  private static void check(ManifestEntry entry, FileDecryptor.Decrypted result, String what) {
    if (!result.sha256().equals(entry.sha256()) || !result.blockMd5s().equals(entry.blockMd5s())) {
      throw new ChunkTamperedException(what + " decrypts to other content than its manifest lists (SHA-256/MD5 differ). "
          + "Prepare the drive again.");
    }
  }
}

package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Writing one drive (docs/drive-format.md §5, §6): a new or resumed volume, files appended with a
 * journal record each, then the verify pass, the manifest and the SEALED record.
 */
final class DriveSession implements AutoCloseable {

  private final DriveLayout layout;
  private final DriveContext context;
  private final int sequence;
  private final byte[] volumeKey;
  private final DriveJournal journal;
  private final FileEncryptor encryptor;
  private final long capacity;
  private final Map<Integer, JournalRecord.FileWritten> written = new LinkedHashMap<>();
  private final SecureRandom random;
  private long used = DriveSpace.RESERVE;

  private DriveSession(DriveLayout layout, DriveContext context, int sequence, byte[] volumeKey, DriveJournal journal,
                       long capacity, SecureRandom random) {
    this.layout = layout;
    this.context = context;
    this.sequence = sequence;
    this.volumeKey = volumeKey;
    this.journal = journal;
    this.capacity = capacity;
    this.random = random;
    this.encryptor = new FileEncryptor(volumeKey);
    for (JournalRecord record : journal.records()) {
      if (record instanceof JournalRecord.FileWritten file) {
        written.put(file.index(), file);
        used += DriveSpace.costOf(file.size());
      }
    }
  }

  /** A fresh volume: new volume key, header, empty journal with its OPEN record. */
  static DriveSession create(DriveLayout layout, DriveContext context, int sequence, RecoveryPassword password,
                             KdfParameters kdf, long capacity, SecureRandom random) throws IOException {
    byte[] volumeKey = new byte[VolumeHeader.VOLUME_KEY_LENGTH];
    random.nextBytes(volumeKey);
    Files.createDirectories(layout.root());
    deleteTree(layout.data());
    Files.deleteIfExists(layout.journal());
    Files.deleteIfExists(layout.manifest());
    VolumeHeader.create(context, password, kdf, volumeKey, random).write(layout.volume());
    DriveJournal journal = DriveJournal.openForWriting(layout.journal(), context, volumeKey);
    journal.append(new JournalRecord.Open(context.importJob(), context.driveId(), sequence, Instant.now().toEpochMilli()));
    return new DriveSession(layout, context, sequence, volumeKey, journal, capacity, random);
  }

  /** Resumes an interrupted volume: replays the journal and deletes what no record vouches for. */
  static DriveSession resume(DriveLayout layout, VolumeHeader header, RecoveryPassword password, int sequence, long capacity,
                             SecureRandom random) throws IOException {
    byte[] volumeKey = header.unlock(password, layout.drive());
    DriveJournal journal = DriveJournal.openForWriting(layout.journal(), header.context(), volumeKey);
    if (journal.records().isEmpty()) {
      journal.append(new JournalRecord.Open(header.context().importJob(), header.context().driveId(), sequence,
          Instant.now().toEpochMilli()));
    }
    DriveSession session = new DriveSession(layout, header.context(), sequence, volumeKey, journal, capacity, random);
    if (session.sealedRecord().isEmpty()) {
      session.deleteUnjournaledFiles();
    }
    return session;
  }

  String driveId() {
    return context.driveId();
  }

  Set<Integer> writtenIndexes() {
    return written.keySet();
  }

  Optional<JournalRecord.Sealed> sealedRecord() {
    return journal.records().stream().filter(r -> r instanceof JournalRecord.Sealed).map(r -> (JournalRecord.Sealed) r)
        .findFirst();
  }

  long writtenBytes() {
    return written.values().stream().mapToLong(JournalRecord.FileWritten::size).sum();
  }

  long storedBytes() {
    return written.values().stream().mapToLong(JournalRecord.FileWritten::storedSize).sum();
  }

  boolean fits(PlannedFile file) {
    return used + DriveSpace.costOf(file.size()) <= capacity;
  }

  void write(PlannedFile file, Path source, LongConsumer progress) throws IOException {
    byte[] aad = ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, file.index());
    FileEncryptor.Encrypted result = encryptor.encrypt(source, file.size(), layout.dataFile(file.index()), aad, progress);
    JournalRecord.FileWritten record = new JournalRecord.FileWritten(file.index(), file.size(), result.storedSize(),
        result.sha256(), file.path());
    journal.append(record);
    written.put(file.index(), record);
    used += DriveSpace.costOf(file.size());
  }

  /** What sealing produced: the manifest and its hash, and the stored bytes of the data files. */
  record Sealed(DriveManifest manifest, String manifestSha256, long storedBytes, boolean verifiedDirect) {
  }

  /**
   * Verify pass (every chunk read back and authenticated, SHA-256 compared with the journal, MD5 per
   * block computed), then the manifest, then the SEALED record.
   */
  Sealed seal(LongConsumer progress) throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    long stored = 0;
    boolean direct;
    try (FileDecryptor decryptor = new FileDecryptor(volumeKey, true)) {
      List<JournalRecord.FileWritten> files = new ArrayList<>(written.values());
      files.sort(Comparator.comparingInt(JournalRecord.FileWritten::index));
      for (JournalRecord.FileWritten file : files) {
        Path data = layout.dataFile(file.index());
        String what = "file " + DriveLayout.storedName(file.index()) + " (" + file.path() + ") on drive " + context.driveId();
        FileDecryptor.Decrypted back = decryptor.decrypt(data, file.size(),
            ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, file.index()), what, null, progress);
        if (!back.sha256().equals(file.sha256())) {
          throw new ChunkTamperedException("Reading back " + what + " gives other bytes than were written (SHA-256 differs): "
              + "the drive or its connection is faulty. Use another drive.");
        }
        entries.add(new ManifestEntry(file.index(), file.path(), file.size(), file.sha256(), back.blockMd5s()));
        stored += file.storedSize();
      }
      direct = decryptor.allReadsDirect();
    }
    DriveManifest manifest = new DriveManifest(context.importJob(), context.driveId(), sequence, entries);
    byte[] sealedManifest = manifest.seal(volumeKey, random);
    AtomicWrite.write(layout.manifest(), sealedManifest);
    byte[] readBack = Files.readAllBytes(layout.manifest());
    String hash = DriveManifest.hash(readBack);
    if (!Arrays.equals(readBack, sealedManifest)) {
      throw new ManifestTamperedException("Reading back the manifest of drive " + context.driveId()
          + " gives other bytes than were written: the drive or its connection is faulty. Use another drive.");
    }
    journal.append(new JournalRecord.Sealed(hash, entries.size(), manifest.bytes()));
    return new Sealed(manifest, hash, stored, direct);
  }

  private void deleteUnjournaledFiles() throws IOException {
    Files.deleteIfExists(layout.manifest());
    if (!Files.isDirectory(layout.data())) {
      return;
    }
    Set<String> keep = new HashSet<>();
    for (int index : written.keySet()) {
      keep.add(DriveLayout.storedName(index));
    }
    try (Stream<Path> files = Files.walk(layout.data())) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!keep.contains(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    }
  }

  @Override
  public void close() throws IOException {
    encryptor.close();
    journal.close();
  }
}

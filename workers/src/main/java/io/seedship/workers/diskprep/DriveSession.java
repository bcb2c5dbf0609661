package io.seedship.workers.diskprep;

import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Function;
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
  /** Null until the volume header and OPEN record of a volume created by this session are on the drive. */
  private DriveJournal journal;
  private final Future<DriveJournal> opening;
  private final List<JournalRecord.FileWritten> unjournaled = new ArrayList<>();
  private final FileEncryptor encryptor;
  private final long capacity;
  private final Map<Integer, JournalRecord.FileWritten> written = new LinkedHashMap<>();
  private final SecureRandom random;
  private long used = DriveSpace.RESERVE;

  private DriveSession(DriveLayout layout, DriveContext context, int sequence, byte[] volumeKey, List<JournalRecord> replayed,
                       Future<DriveJournal> opening, long capacity, SecureRandom random) {
    this.layout = layout;
    this.context = context;
    this.sequence = sequence;
    this.volumeKey = volumeKey;
    this.opening = opening;
    this.capacity = capacity;
    this.random = random;
    this.encryptor = new FileEncryptor(volumeKey);
    for (JournalRecord record : replayed) {
      if (record instanceof JournalRecord.FileWritten file) {
        written.put(file.index(), file);
        used += DriveSpace.costOf(file.size());
      }
    }
  }

  /**
   * A fresh volume: new volume key, header, empty journal with its OPEN record. The header's scrypt takes
   * a few hundred milliseconds, so it runs on a helper thread while the first files are encrypted; their
   * FILE records wait for the OPEN record (a crash before it leaves no header: the drive starts afresh).
   */
  static DriveSession create(DriveLayout layout, DriveContext context, int sequence, RecoveryPassword password,
                             KdfParameters kdf, long capacity, SecureRandom random) throws IOException {
    byte[] volumeKey = new byte[VolumeHeader.VOLUME_KEY_LENGTH];
    random.nextBytes(volumeKey);
    Files.createDirectories(layout.root());
    deleteTree(layout.data());
    Files.deleteIfExists(layout.journal());
    Files.deleteIfExists(layout.manifest());
    FutureTask<DriveJournal> opening = new FutureTask<>(() -> {
      VolumeHeader.create(context, password, kdf, volumeKey, random).write(layout.volume());
      DriveJournal journal = DriveJournal.openForWriting(layout.journal(), context, volumeKey);
      journal.append(new JournalRecord.Open(context.importJob(), context.driveId(), sequence, Instant.now().toEpochMilli()));
      return journal;
    });
    Thread thread = new Thread(opening, "diskprep-volume-header");
    thread.setDaemon(true);
    thread.start();
    return new DriveSession(layout, context, sequence, volumeKey, List.of(), opening, capacity, random);
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
    DriveSession session = new DriveSession(layout, header.context(), sequence, volumeKey, journal.records(),
        CompletableFuture.completedFuture(journal), capacity, random);
    session.journal = journal;
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
    if (journal == null) {
      // A volume created by this session: no SEALED record before seal(), which opens the journal.
      return Optional.empty();
    }
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

  /** The files of candidates that fit the space left, taken first fit in the order given. */
  List<PlannedFile> filesThatFit(List<PlannedFile> candidates) {
    List<PlannedFile> chosen = new ArrayList<>();
    long projected = used;
    for (PlannedFile file : candidates) {
      long cost = DriveSpace.costOf(file.size());
      if (projected + cost <= capacity) {
        chosen.add(file);
        projected += cost;
      }
    }
    return chosen;
  }

  /**
   * Writes and forces the data files in order, streamed through one pipeline so that one file's force
   * overlaps the next file's reading and encryption. Each FILE record is appended on the caller's thread
   * (between blocks) once its file is forced and the OPEN record is there; journaled then receives it, in
   * plan order. A caller held up by a listener holds up the journal too: no file is on the journal that
   * was not reported.
   */
  void writeAll(List<PlannedFile> files, Function<PlannedFile, Path> sources, LongConsumer progress,
                Consumer<JournalRecord.FileWritten> journaled) throws IOException {
    List<FileEncryptor.Job> jobs = new ArrayList<>();
    for (PlannedFile file : files) {
      jobs.add(new FileEncryptor.Job(sources.apply(file), file.size(), layout.dataFile(file.index()),
          ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, file.index())));
    }
    encryptor.encryptAll(jobs, (job, result) -> {
      PlannedFile file = files.get(job);
      JournalRecord.FileWritten record = new JournalRecord.FileWritten(file.index(), file.size(), result.storedSize(),
          result.sha256(), file.path());
      written.put(file.index(), record);
      used += DriveSpace.costOf(file.size());
      unjournaled.add(record);
      journalWritten(false).forEach(journaled);
    }, progress);
  }

  /** Appends the FILE records of written files once the OPEN record is there; with wait, waits for it. */
  List<JournalRecord.FileWritten> journalWritten(boolean wait) throws IOException {
    if (unjournaled.isEmpty() || (journal == null && !wait && !opening.isDone())) {
      return List.of();
    }
    DriveJournal j = journal();
    List<JournalRecord.FileWritten> appended = new ArrayList<>();
    for (JournalRecord.FileWritten record : unjournaled) {
      j.append(record);
      appended.add(record);
    }
    unjournaled.clear();
    return appended;
  }

  private DriveJournal journal() throws IOException {
    if (journal == null) {
      try {
        journal = opening.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing the volume header of drive " + context.driveId());
      } catch (ExecutionException e) {
        throw FileEncryptor.rethrow(e.getCause());
      }
    }
    return journal;
  }

  /** What sealing produced: the manifest and its hash, and the stored bytes of the data files. */
  record Sealed(DriveManifest manifest, String manifestSha256, long storedBytes, boolean verifiedDirect) {
  }

  /**
   * Verify pass (every chunk read back and authenticated, SHA-256 compared with the journal, MD5 per
   * block computed), then the manifest, then the SEALED record.
   */
  Sealed seal(LongConsumer progress) throws IOException {
    journalWritten(true);
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
    journal().append(new JournalRecord.Sealed(hash, entries.size(), manifest.bytes()));
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
    if (journal == null) {
      try {
        journal = opening.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        // The header failed: whoever needed the journal got that error, and there is no journal to close.
        return;
      }
    }
    journal.close();
  }
}

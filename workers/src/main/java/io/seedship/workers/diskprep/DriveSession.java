package io.seedship.workers.diskprep;

import io.seedship.workers.FileTrees;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Writing one drive (docs/drive-format.md §5, §6): a new or resumed volume, files appended with a
 * journal record each, then the verify pass, the manifest and the SEALED record.
 */
final class DriveSession implements AutoCloseable {

  /** A commit group: the written files are forced and journaled whenever this many bytes are pending, and at the end. */
  static final long GROUP_BYTES = 1L << 30;

  private final DriveLayout layout;
  private final DriveContext context;
  private final int sequence;
  private final byte[] volumeKey;
  /** Null until the volume header and OPEN record of a volume created by this session are on the drive. */
  private volatile DriveJournal journal;
  private final Future<DriveJournal> opening;
  /** Written (in the page cache) but not yet forced and journaled: the current commit group. */
  private final List<JournalRecord.FileWritten> unjournaled = new ArrayList<>();
  private long unjournaledBytes;
  private long groupBytes = GROUP_BYTES;
  /** Forces and journals full groups while the write pass goes on; one group at a time. */
  private final ExecutorService committer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "diskprep-commit");
    t.setDaemon(true);
    return t;
  });
  /** The full group being forced and journaled on the committer, if any. */
  private Future<List<JournalRecord.FileWritten>> committing;
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
    FileTrees.deleteTree(layout.data());
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
    return session;
  }

  /** Bytes per commit group (tests use small groups to crash between groups). */
  DriveSession groupBytes(long bytes) {
    this.groupBytes = bytes;
    return this;
  }

  /**
   * After a crash (§5): a data file without a FILE record whose length is right, whose chunks all
   * authenticate and whose plaintext equals the staged file is forced and journaled as it is (never written
   * twice); any other file without a record (cut short, damaged, not wanted here any more) is deleted and
   * written again. candidates = the plan files no other drive holds. Returns the adopted files.
   */
  List<JournalRecord.FileWritten> recover(Map<Integer, PlannedFile> candidates, Function<PlannedFile, Path> sources)
      throws IOException {
    if (sealedRecord().isPresent()) {
      return List.of();
    }
    Files.deleteIfExists(layout.manifest());
    if (!Files.isDirectory(layout.data())) {
      return List.of();
    }
    List<Path> unrecorded;
    try (Stream<Path> files = Files.walk(layout.data())) {
      unrecorded = files.filter(Files::isRegularFile).filter(f -> !written.containsKey(indexOf(f))).sorted().toList();
    }
    List<JournalRecord.FileWritten> adopted = new ArrayList<>();
    try (FileDecryptor decryptor = new FileDecryptor(volumeKey, false)) {
      for (Path file : unrecorded) {
        int index = indexOf(file);
        PlannedFile planned = candidates.get(index);
        if (planned != null && file.equals(layout.dataFile(index)) && authenticAndStaged(decryptor, file, planned, sources)) {
          forceFile(file);
          adopted.add(new JournalRecord.FileWritten(index, planned.size(), ChunkAead.storedLength(planned.size()), planned.path()));
        } else {
          Files.delete(file);
        }
      }
    }
    if (!adopted.isEmpty()) {
      forceDirectories(adopted);
      journal().appendAll(adopted);
      for (JournalRecord.FileWritten record : adopted) {
        written.put(record.index(), record);
        used += DriveSpace.costOf(record.size());
      }
    }
    return adopted;
  }

  private boolean authenticAndStaged(FileDecryptor decryptor, Path file, PlannedFile planned, Function<PlannedFile, Path> sources)
      throws IOException {
    if (Files.size(file) != ChunkAead.storedLength(planned.size())) {
      return false;
    }
    String what = "file " + DriveLayout.storedName(planned.index()) + " (" + planned.path() + ") on drive " + context.driveId();
    try (StagedComparison staged = new StagedComparison(sources.apply(planned), planned.size(), what)) {
      decryptor.decrypt(file, planned.size(), ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, planned.index()), what, staged,
          b -> { });
      staged.checkComplete();
      return true;
    } catch (DriveIntegrityException | StagedComparison.Differs e) {
      return false;
    }
  }

  private static int indexOf(Path dataFile) {
    String name = dataFile.getFileName().toString();
    return name.matches("[0-9]{8}") ? Integer.parseInt(name) : -1;
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
   * Writes the data files through the page cache, two or more at a time (§9), in groups: whenever the
   * files written since the last commit reach {@link #GROUP_BYTES} (and the OPEN record is there), a
   * committer thread forces them and appends their FILE records with one journal force while the writing
   * goes on (one group at a time: a full group waits for the one before); journaled receives those records,
   * on the caller's thread, once they are on the drive. Returns with the last full group possibly still
   * being committed and the last group pending: {@link #commit()} finishes both.
   */
  void writeAll(List<PlannedFile> files, Function<PlannedFile, Path> sources, LongConsumer progress,
                Consumer<JournalRecord.FileWritten> journaled) throws IOException {
    List<FileEncryptor.Job> jobs = new ArrayList<>();
    for (PlannedFile file : files) {
      jobs.add(new FileEncryptor.Job(sources.apply(file), file.size(), layout.dataFile(file.index()),
          ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, file.index())));
    }
    encryptor.encryptAll(jobs, (job, storedSize) -> {
      PlannedFile file = files.get(job);
      JournalRecord.FileWritten record = new JournalRecord.FileWritten(file.index(), file.size(), storedSize, file.path());
      written.put(file.index(), record);
      used += DriveSpace.costOf(file.size());
      unjournaled.add(record);
      unjournaledBytes += file.size();
      if (committing != null && committing.isDone()) {
        awaitCommitting().forEach(journaled);
      }
      if (unjournaledBytes >= groupBytes && (journal != null || opening.isDone())) {
        awaitCommitting().forEach(journaled);
        List<JournalRecord.FileWritten> group = takeGroup();
        committing = committer.submit(() -> commitGroup(group));
      }
    }, progress);
  }

  private List<JournalRecord.FileWritten> takeGroup() {
    List<JournalRecord.FileWritten> group = List.copyOf(unjournaled);
    unjournaled.clear();
    unjournaledBytes = 0;
    return group;
  }

  /** Waits for the group on the committer, if any; returns its records, journaled. */
  private List<JournalRecord.FileWritten> awaitCommitting() throws IOException {
    if (committing == null) {
      return List.of();
    }
    try {
      return committing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while forcing written files to drive " + context.driveId());
    } catch (ExecutionException e) {
      throw FileEncryptor.rethrow(e.getCause());
    } finally {
      committing = null;
    }
  }

  /**
   * Finishes the group on the committer, if any, then commits every written file not yet journaled.
   * Returns the records journaled by both, in order.
   */
  List<JournalRecord.FileWritten> commit() throws IOException {
    List<JournalRecord.FileWritten> done = new ArrayList<>(awaitCommitting());
    if (!unjournaled.isEmpty()) {
      done.addAll(commitGroup(takeGroup()));
    }
    return done;
  }

  /**
   * Group commit: forces the group's files and the folders holding them, then appends their FILE records
   * with one force of the journal (waiting for the OPEN record). No record is appended before its file is
   * on the drive.
   */
  private List<JournalRecord.FileWritten> commitGroup(List<JournalRecord.FileWritten> group) throws IOException {
    DriveJournal j = journal();
    for (JournalRecord.FileWritten record : group) {
      forceFile(layout.dataFile(record.index()));
    }
    forceDirectories(group);
    j.appendAll(group);
    return group;
  }

  private static void forceFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** The new data files' directory entries (and the new folders' entries in data/) reach the drive too. */
  private void forceDirectories(List<JournalRecord.FileWritten> files) throws IOException {
    Set<Path> folders = new LinkedHashSet<>();
    for (JournalRecord.FileWritten record : files) {
      folders.add(layout.dataFile(record.index()).getParent());
    }
    folders.add(layout.data());
    folders.add(layout.root());
    for (Path folder : folders) {
      try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        // Some file systems cannot force a directory; ext4, xfs and the like can, and there it is done.
      }
    }
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
   * Verify pass: commits what is still pending, then reads every data file back (O_DIRECT where allowed),
   * authenticates every chunk, compares the plaintext byte for byte with the staged file, and computes the
   * SHA-256 and per-block MD5 of what was read back for the manifest; then the manifest and the SEALED record.
   */
  Sealed seal(Function<String, Path> sources, LongConsumer progress) throws IOException {
    commit();
    List<ManifestEntry> entries = new ArrayList<>();
    long stored = 0;
    boolean direct;
    try (FileDecryptor decryptor = new FileDecryptor(volumeKey, true)) {
      List<JournalRecord.FileWritten> files = new ArrayList<>(written.values());
      files.sort(Comparator.comparingInt(JournalRecord.FileWritten::index));
      for (JournalRecord.FileWritten file : files) {
        Path data = layout.dataFile(file.index());
        String what = "file " + DriveLayout.storedName(file.index()) + " (" + file.path() + ") on drive " + context.driveId();
        FileDecryptor.Decrypted back;
        try (StagedComparison staged = new StagedComparison(sources.apply(file.path()), file.size(), what)) {
          back = decryptor.decrypt(data, file.size(), ChunkAead.aadFor(ChunkAead.DATA_DOMAIN, context, file.index()), what, staged,
              progress);
          staged.checkComplete();
        } catch (StagedComparison.Differs e) {
          throw new StagingChangedException(e.getMessage() + " Abort this preparation and start it again.", e);
        }
        entries.add(new ManifestEntry(file.index(), file.path(), file.size(), back.sha256(), back.blockMd5s()));
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


  @Override
  public void close() throws IOException {
    encryptor.close();
    committer.shutdown();
    try {
      // A group still being committed (the write pass failed meanwhile) finishes before the journal closes.
      committer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

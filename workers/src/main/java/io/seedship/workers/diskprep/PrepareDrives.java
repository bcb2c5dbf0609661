package io.seedship.workers.diskprep;

import io.seedship.workers.FileTrees;
import io.seedship.seeding.PublishSettings;
import io.seedship.workers.Sizes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The disk-preparation use case (what {@code AzureOfflineBackupDiskPrep.exe s: p:} does): writes a
 * seeding's staged repository, encrypted, onto the given drives, resuming interrupted drives, and
 * stops with {@link DiskPrepOutcome.DriveFull} when the drives are full. Idempotent: a call after
 * everything is sealed returns the sealed drives without touching any drive. Refusals
 * ({@link DriveRejectedException}) happen before anything is written. No Camunda types here.
 */
public final class PrepareDrives {

  private static final Set<String> NOT_FOREIGN = Set.of(DriveLayout.DECLARATION, DriveLayout.ROOT, "lost+found");

  private final DiskPrepKeyStore keyStore;
  private final DriveInspector inspector;
  private final KdfParameters kdf;
  private final long groupBytes;
  private final SecureRandom random = new SecureRandom();

  public PrepareDrives(DiskPrepKeyStore keyStore, DriveInspector inspector, KdfParameters kdf) {
    this(keyStore, inspector, kdf, DriveSession.GROUP_BYTES);
  }

  /** groupBytes: how many written bytes are forced and journaled together (§5); tests use small groups. */
  PrepareDrives(DiskPrepKeyStore keyStore, DriveInspector inspector, KdfParameters kdf, long groupBytes) {
    this.keyStore = keyStore;
    this.inspector = inspector;
    this.kdf = kdf;
    this.groupBytes = groupBytes;
  }

  public DiskPrepOutcome prepare(DiskPrepRequest request, DiskPrepListener listener) {
    String job = DriveContext.checkName(request.importJob(), "import job name");
    StagedRepository staged = StagedRepository.locate(request.stagingLocation(), request.seedingId());
    PublishSettings.Subscription publishSettings = request.publishSettings() == null ? null : subscriptionOf(request.publishSettings());
    try (AutoCloseable lock = keyStore.lock(job)) {
      return prepareLocked(job, staged, publishSettings, request, listener);
    } catch (IOException e) {
      throw new UncheckedIOException("Disk preparation of import job " + job + " failed: " + e.getMessage()
          + ". Check the drives and the key store, then run it again; it resumes where it stopped.", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The p: file of the guide: checked as the seeding request checks it; its (first) subscription is recorded. */
  public static PublishSettings.Subscription subscriptionOf(java.nio.file.Path file) {
    try {
      return PublishSettings.read(file).subscriptions().get(0);
    } catch (PublishSettings.InvalidPublishSettingsException e) {
      throw new DiskPrepException(e.getMessage());
    }
  }

  private DiskPrepOutcome prepareLocked(String job, StagedRepository staged, PublishSettings.Subscription publishSettings,
                                        DiskPrepRequest request, DiskPrepListener listener) throws IOException {
    boolean newJob = !keyStore.jobExists(job);
    StagingPlan plan = newJob ? staged.plan() : existingPlan(job, staged);
    List<DriveRecord> records = keyStore.drives(job);
    Set<Integer> done = new HashSet<>();
    records.stream().filter(r -> r.state() == DriveRecord.State.SEALED).forEach(r -> done.addAll(r.fileIndexes()));
    if (done.size() == plan.files().size()) {
      return new DiskPrepOutcome.AllDrivesPrepared(sealedDrives(job));
    }
    if (request.drives().isEmpty()) {
      throw new DriveRejectedException("No drive was given for import job " + job + ": attach a drive and give its folder.");
    }
    List<AttachedDrive> attached = new ArrayList<>();
    for (Path folder : new LinkedHashSet<>(request.drives())) {
      attached.add(classify(folder, job, records, staged));
    }
    checkNewDrives(job, attached, records, request.formatConfirmed());
    if (newJob) {
      checkNewDrivesBigEnough(attached, plan, done);
      // The job is recorded only once its drives passed every check: a refusal leaves no trace.
      keyStore.createJob(job, staged, plan, publishSettings == null ? null : publishSettings.id());
    }

    Progress progress = new Progress(listener, plan, done);
    List<DriveSession> resumed = new ArrayList<>();
    try {
      for (AttachedDrive drive : attached) {
        if (drive.kind() == AttachedDrive.Kind.RESUME) {
          DriveSession session = DriveSession.resume(drive.layout(), drive.header(),
              keyStore.recoveryPassword(job, drive.record().driveId()), drive.record().sequence(),
              drive.descriptor().capacityBytes(), random).groupBytes(groupBytes);
          resumed.add(session);
          // Files written before the crash but not yet journaled: kept when complete and equal to the staging.
          Map<Integer, PlannedFile> candidates = new HashMap<>();
          remaining(plan, done).forEach(f -> candidates.put(f.index(), f));
          session.recover(candidates, staged::fileOf);
          done.addAll(session.writtenIndexes());
        }
      }
      checkNewDrivesBigEnough(attached, plan, done);
      int next = 0;
      for (AttachedDrive drive : attached) {
        if (drive.kind() != AttachedDrive.Kind.RESUME) {
          continue;
        }
        DriveSession session = resumed.get(next++);
        fill(session, plan, staged, done, progress);
        finish(session, drive.record().at(drive.layout().drive().toAbsolutePath().toString()), staged, progress);
      }
      for (AttachedDrive drive : attached) {
        if (drive.kind() != AttachedDrive.Kind.NEW || remaining(plan, done).isEmpty()) {
          continue;
        }
        checkBigEnough(drive, plan, done);
        try (DriveSession session = startNewDrive(job, drive, records)) {
          fill(session, plan, staged, done, progress);
          finish(session, keyStore.drives(job).stream().filter(r -> r.driveId().equals(session.driveId())).findFirst()
              .orElseThrow(), staged, progress);
        }
      }
    } finally {
      for (DriveSession session : resumed) {
        session.close();
      }
    }
    List<PlannedFile> left = remaining(plan, done);
    List<PreparedDrive> sealed = sealedDrives(job);
    if (left.isEmpty()) {
      progress.report(DiskPrepProgress.Phase.DONE, sealed.isEmpty() ? "" : sealed.get(sealed.size() - 1).driveId());
      return new DiskPrepOutcome.AllDrivesPrepared(sealed);
    }
    long smallest = left.stream().mapToLong(f -> DriveSpace.costOf(f.size())).min().orElse(0) + DriveSpace.RESERVE;
    String fullDrive = sealed.isEmpty() ? "" : sealed.get(sealed.size() - 1).driveId();
    return new DiskPrepOutcome.DriveFull(fullDrive, left.stream().mapToLong(PlannedFile::size).sum(), left.size(), smallest,
        sealed);
  }

  private StagingPlan existingPlan(String job, StagedRepository staged) {
    DiskPrepKeyStore.JobInfo info = keyStore.jobInfo(job);
    if (!info.seedingId().equals(staged.seedingId())) {
      throw new DiskPrepException("Import job " + job + " was started on this copy computer for seeding " + info.seedingId()
          + ", not " + staged.seedingId() + ": import job names are unique; use the job's own seeding, or another name.");
    }
    return keyStore.plan(job);
  }

  private AttachedDrive classify(Path folder, String job, List<DriveRecord> records, StagedRepository staged) throws IOException {
    checkNotOverlapping(folder, staged.root(), "the staging repository");
    checkNotOverlapping(folder, keyStore.root(), "the key store");
    DriveLayout layout = new DriveLayout(folder);
    VolumeHeader header = null;
    if (VolumeHeader.exists(layout.volume())) {
      try {
        header = VolumeHeader.read(layout.volume());
      } catch (DriveIntegrityException e) {
        header = null;
      }
    }
    if (header != null && header.context().importJob().equals(job)) {
      String id = header.context().driveId();
      Optional<DriveRecord> record = records.stream().filter(r -> r.driveId().equals(id)).findFirst();
      if (record.isPresent() && record.get().state() == DriveRecord.State.SEALED) {
        return new AttachedDrive(layout, AttachedDrive.Kind.SEALED, null, record.get(), header, List.of());
      }
      if (record.isPresent()) {
        DriveDescriptor descriptor = inspector.describe(folder, sizeOf(layout.root()));
        DrivePolicy.checkAccepted(descriptor);
        return new AttachedDrive(layout, AttachedDrive.Kind.RESUME, descriptor, record.get(), header, List.of());
      }
    }
    List<String> foreign = foreignEntries(folder);
    if (header != null) {
      foreign.add(0, DriveLayout.ROOT + " (drive " + header.context().driveId() + " of import job " + header.context().importJob()
          + (header.context().importJob().equals(job) ? ", whose key is not in this key store)" : ")"));
    } else if (Files.exists(layout.volume())) {
      foreign.add(0, DriveLayout.ROOT + " (an unreadable Seedship drive)");
    }
    DriveDescriptor descriptor = inspector.describe(folder, 0);
    DrivePolicy.checkAccepted(descriptor);
    Optional<DriveRecord> interrupted = foreign.isEmpty() ? records.stream()
        .filter(r -> r.state() == DriveRecord.State.OPEN && r.files() == 0 && r.mount().equals(folder.toAbsolutePath().toString()))
        .findFirst() : Optional.empty();
    return new AttachedDrive(layout, AttachedDrive.Kind.NEW, descriptor, interrupted.orElse(null), null, foreign);
  }

  private void checkNewDrives(String job, List<AttachedDrive> attached, List<DriveRecord> records, boolean formatConfirmed) {
    int newDrives = 0;
    for (AttachedDrive drive : attached) {
      if (drive.kind() != AttachedDrive.Kind.NEW) {
        continue;
      }
      if (drive.hasForeignData() && !formatConfirmed) {
        List<String> shown = drive.foreignEntries().subList(0, Math.min(5, drive.foreignEntries().size()));
        throw new ForeignDataException("The drive at " + drive.layout().drive() + " holds other data (" + String.join(", ", shown)
            + (drive.foreignEntries().size() > 5 ? ", …" : "") + "). Formatting it deletes that data: confirm formatting, "
            + "or attach an empty drive.");
      }
      if (drive.record() == null) {
        newDrives++;
      }
    }
    DrivePolicy.checkDriveCount(records.size(), newDrives, job);
  }

  /** Up front, before any drive is written: every new drive holds at least the smallest file left. */
  private void checkNewDrivesBigEnough(List<AttachedDrive> attached, StagingPlan plan, Set<Integer> done) {
    for (AttachedDrive drive : attached) {
      if (drive.kind() == AttachedDrive.Kind.NEW) {
        checkBigEnough(drive, plan, done);
      }
    }
  }

  private static void checkBigEnough(AttachedDrive drive, StagingPlan plan, Set<Integer> done) {
    List<PlannedFile> left = remaining(plan, done);
    if (left.isEmpty()) {
      return;
    }
    PlannedFile smallest = left.stream().min((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
    long needed = DriveSpace.RESERVE + DriveSpace.costOf(smallest.size());
    if (drive.descriptor().capacityBytes() < needed) {
      throw new DriveTooSmallException("The drive at " + drive.layout().drive() + " has room for " + drive.descriptor().capacityBytes()
          + " bytes (" + Sizes.human(drive.descriptor().capacityBytes()) + "), but the smallest file still to copy needs " + needed
          + " bytes (" + Sizes.human(needed) + "); files do not span drives. Attach a drive with at least "
          + Sizes.human(needed) + " free.");
    }
  }

  private DriveSession startNewDrive(String job, AttachedDrive drive, List<DriveRecord> records) throws IOException {
    DriveRecord record = drive.record();
    RecoveryPassword password;
    if (record == null) {
      String driveId = newDriveId(drive.descriptor(), keyStore.drives(job));
      int sequence = keyStore.drives(job).stream().mapToInt(DriveRecord::sequence).max().orElse(0) + 1;
      password = RecoveryPassword.generate(random);
      // Key store first: a drive never holds data whose unlock secret is not kept.
      keyStore.saveRecoveryPassword(job, driveId, password);
      record = DriveRecord.open(job, driveId, sequence, drive.descriptor());
      keyStore.saveDrive(record);
    } else {
      password = keyStore.recoveryPassword(job, record.driveId());
    }
    if (drive.hasForeignData()) {
      format(drive.layout().drive());
    }
    return DriveSession.create(drive.layout(), new DriveContext(job, record.driveId()), record.sequence(), password, kdf,
        drive.descriptor().capacityBytes(), random).groupBytes(groupBytes);
  }

  private String newDriveId(DriveDescriptor descriptor, List<DriveRecord> records) {
    if (descriptor.serial() != null) {
      String id = descriptor.serial().replaceAll("[^A-Za-z0-9._-]", "_");
      id = id.substring(0, Math.min(id.length(), 128));
      if (!id.isEmpty() && Character.isLetterOrDigit(id.charAt(0))) {
        String candidate = id;
        if (records.stream().anyMatch(r -> r.driveId().equals(candidate))) {
          throw new DriveRejectedException("A drive with serial " + descriptor.serial() + " is already drive of this import job: "
              + "attach a different drive (each physical drive is used once per job).");
        }
        return id;
      }
    }
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return "SEED" + HexFormat.of().withUpperCase().formatHex(bytes);
  }

  private void fill(DriveSession session, StagingPlan plan, StagedRepository staged, Set<Integer> done, Progress progress)
      throws IOException {
    if (session.sealedRecord().isPresent()) {
      return;
    }
    // Which files fit depends on their sizes only, so the whole drive's share is known up front and its
    // files stream through one pipeline.
    List<PlannedFile> files = session.filesThatFit(remaining(plan, done));
    session.writeAll(files, staged::fileOf, bytes -> progress.written(session.driveId(), bytes),
        record -> progress.fileDone(session.driveId()));
    files.forEach(file -> done.add(file.index()));
    // The last group: forced and journaled before the verify pass. A file counts as done for the operator
    // once its FILE record is on the drive.
    progress.report(DiskPrepProgress.Phase.FORCING, session.driveId());
    session.commit().forEach(r -> progress.fileDone(session.driveId()));
  }

  private void finish(DriveSession session, DriveRecord record, StagedRepository staged, Progress progress) throws IOException {
    Optional<JournalRecord.Sealed> sealed = session.sealedRecord();
    String manifestHash;
    long storedBytes;
    long bytes;
    if (sealed.isPresent()) {
      // Crashed between the SEALED record and the key store: the drive is sealed, record it.
      manifestHash = sealed.get().manifestSha256();
      bytes = sealed.get().bytes();
      storedBytes = session.storedBytes();
    } else {
      progress.startVerify(session.driveId(), session.writtenBytes());
      DriveSession.Sealed result = session.seal(staged::fileAt, b -> progress.verified(session.driveId(), b));
      manifestHash = result.manifestSha256();
      bytes = result.manifest().bytes();
      storedBytes = result.storedBytes();
    }
    List<Integer> indexes = new ArrayList<>(session.writtenIndexes());
    indexes.sort(null);
    keyStore.saveDrive(record.sealed(manifestHash, indexes, bytes, storedBytes));
    progress.report(DiskPrepProgress.Phase.SEALED, session.driveId());
  }

  private List<PreparedDrive> sealedDrives(String job) {
    return keyStore.drives(job).stream().filter(r -> r.state() == DriveRecord.State.SEALED)
        .map(r -> PreparedDrive.of(r, keyStore)).toList();
  }

  private static List<PlannedFile> remaining(StagingPlan plan, Set<Integer> done) {
    return plan.files().stream().filter(f -> !done.contains(f.index())).toList();
  }

  /** "Formatting" a drive folder: everything but the declaration file and lost+found goes. */
  private static void format(Path drive) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(drive)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.equals(DriveLayout.DECLARATION) && !name.equals("lost+found")) {
          FileTrees.deleteTree(entry);
        }
      }
    }
  }

  private static List<String> foreignEntries(Path folder) throws IOException {
    List<String> foreign = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!NOT_FOREIGN.contains(name)) {
          foreign.add(name);
        }
      }
    }
    foreign.sort(null);
    return foreign;
  }

  private static void checkNotOverlapping(Path drive, Path protectedFolder, String what) throws IOException {
    if (!Files.isDirectory(drive)) {
      return;
    }
    Path d = drive.toRealPath();
    Path p = Files.exists(protectedFolder) ? protectedFolder.toRealPath() : protectedFolder.toAbsolutePath().normalize();
    if (d.startsWith(p) || p.startsWith(d)) {
      throw new DriveNotSupportedException("The drive folder " + drive + " overlaps " + what + " (" + protectedFolder
          + "): formatting it would destroy it. Give the folder of a separate drive.");
    }
  }

  private static long sizeOf(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** Turns byte counts into throttled progress reports. */
  private static final class Progress {
    private final DiskPrepListener listener;
    private final int filesTotal;
    private final long bytesTotal;
    private final long start = System.nanoTime();
    private int filesDone;
    private long bytesDone;
    private long verifyDone;
    private long verifyTotal;
    private long lastReport;
    private long bytesAtStart;

    Progress(DiskPrepListener listener, StagingPlan plan, Set<Integer> done) {
      this.listener = listener;
      this.filesTotal = plan.files().size();
      this.bytesTotal = plan.totalBytes();
      this.filesDone = done.size();
      this.bytesDone = plan.files().stream().filter(f -> done.contains(f.index())).mapToLong(PlannedFile::size).sum();
      this.bytesAtStart = bytesDone;
    }

    void written(String driveId, long bytes) {
      bytesDone += bytes;
      throttled(DiskPrepProgress.Phase.WRITING, driveId, bytesDone, bytesTotal);
    }

    /** Reported at once (not throttled): a finished file is the unit an operator and a heartbeat care about. */
    void fileDone(String driveId) {
      filesDone++;
      lastReport = System.nanoTime();
      listener.progress(new DiskPrepProgress(DiskPrepProgress.Phase.WRITING, driveId, filesDone, filesTotal, bytesDone, bytesTotal,
          rate()));
    }

    void startVerify(String driveId, long driveBytes) {
      verifyDone = 0;
      verifyTotal = driveBytes;
      listener.progress(new DiskPrepProgress(DiskPrepProgress.Phase.VERIFYING, driveId, filesDone, filesTotal, 0, 0, 0));
    }

    void verified(String driveId, long bytes) {
      verifyDone += bytes;
      throttled(DiskPrepProgress.Phase.VERIFYING, driveId, verifyDone, verifyTotal);
    }

    void report(DiskPrepProgress.Phase phase, String driveId) {
      listener.progress(new DiskPrepProgress(phase, driveId, filesDone, filesTotal, bytesDone, bytesTotal, rate()));
    }

    private void throttled(DiskPrepProgress.Phase phase, String driveId, long done, long total) {
      long now = System.nanoTime();
      if (now - lastReport < 200_000_000L) {
        return;
      }
      lastReport = now;
      listener.progress(new DiskPrepProgress(phase, driveId, filesDone, filesTotal, done, total, rate()));
    }

    private double rate() {
      double seconds = (System.nanoTime() - start) / 1e9;
      return seconds <= 0 ? 0 : (bytesDone - bytesAtStart) / seconds;
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "PrepareDrives(%s)", keyStore.root());
  }
}

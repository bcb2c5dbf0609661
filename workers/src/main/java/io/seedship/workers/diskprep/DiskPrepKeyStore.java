package io.seedship.workers.diskprep;

import io.seedship.workers.ExclusiveFileLock;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Seedship's key store for disk preparation on the copy computer (docs/drive-format.md §7): per import
 * job a folder (0700) with the plan, one recovery password file per drive (0600) and one drive record per
 * drive. Process variables only ever carry the job name; the secrets stay here.
 */
public final class DiskPrepKeyStore {

  private final Path keyDirectory;

  public DiskPrepKeyStore(Path keyDirectory) {
    this.keyDirectory = keyDirectory;
  }

  /** The job's facts as recorded at its first start. */
  public record JobInfo(String importJob, String seedingId, Path repository, Instant created, int planFiles, long planBytes,
                        String subscriptionId) {
  }

  public Path root() {
    return keyDirectory.resolve("diskprep");
  }

  public Path jobFolder(String importJob) {
    return root().resolve(DriveContext.checkName(importJob, "import job name"));
  }

  public boolean jobExists(String importJob) {
    return Files.isRegularFile(jobFolder(importJob).resolve("job.properties"));
  }

  /** Names of all import jobs with a preparation in this key store. */
  public List<String> jobs() {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root())) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root())) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry.resolve("job.properties"))) {
          names.add(entry.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The key store " + root() + " cannot be listed: " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  public JobInfo jobInfo(String importJob) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(jobFolder(importJob).resolve("job.properties"), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("The job file of import job " + importJob + " in " + root() + " cannot be read: "
          + e.getMessage(), e);
    }
    return new JobInfo(importJob, p.getProperty("seedingId"), Path.of(p.getProperty("repository")),
        Instant.parse(p.getProperty("created")), Integer.parseInt(p.getProperty("planFiles")),
        Long.parseLong(p.getProperty("planBytes")), p.getProperty("subscriptionId"));
  }

  void createJob(String importJob, StagedRepository staged, StagingPlan plan, String subscriptionId) throws IOException {
    Path folder = jobFolder(importJob);
    createPrivateDirectories(folder);
    AtomicWrite.write(folder.resolve("plan"), plan.serialize().getBytes(StandardCharsets.UTF_8), true);
    Properties p = new Properties();
    p.setProperty("importJob", importJob);
    p.setProperty("seedingId", staged.seedingId());
    p.setProperty("repository", staged.root().toAbsolutePath().toString());
    p.setProperty("created", Instant.now().toString());
    p.setProperty("planFiles", Integer.toString(plan.files().size()));
    p.setProperty("planBytes", Long.toString(plan.totalBytes()));
    if (subscriptionId != null) {
      p.setProperty("subscriptionId", subscriptionId);
    }
    StringWriter text = new StringWriter();
    p.store(text, "Seedship disk preparation of one import job");
    // Written last: a job without job.properties is an interrupted start and is started again.
    AtomicWrite.write(folder.resolve("job.properties"), text.toString().getBytes(StandardCharsets.UTF_8), true);
  }

  StagingPlan plan(String importJob) {
    try {
      return StagingPlan.parse(Files.readString(jobFolder(importJob).resolve("plan"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new DiskPrepException("The plan of import job " + importJob + " in " + root() + " cannot be read (" + e.getMessage()
          + "): the key store is damaged; abort the preparation and start again.", e);
    }
  }

  /** The job's drives, first drive first. */
  public List<DriveRecord> drives(String importJob) {
    List<DriveRecord> records = new ArrayList<>();
    Path folder = jobFolder(importJob);
    if (!Files.isDirectory(folder)) {
      return records;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".properties") && !name.equals("job.properties") && !name.contains(AtomicWrite.TMP_MARK)) {
          records.add(DriveRecord.parse(Files.readString(file, StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new DiskPrepException("The drive records of import job " + importJob + " in " + root() + " cannot be read ("
          + e.getMessage() + "): the key store is damaged.", e);
    }
    records.sort(Comparator.comparingInt(DriveRecord::sequence));
    return records;
  }

  void saveDrive(DriveRecord record) throws IOException {
    AtomicWrite.write(jobFolder(record.importJob()).resolve(record.driveId() + ".properties"),
        record.serialize().getBytes(StandardCharsets.UTF_8), true);
  }

  void saveRecoveryPassword(String importJob, String driveId, RecoveryPassword password) throws IOException {
    Path folder = jobFolder(importJob);
    createPrivateDirectories(folder);
    AtomicWrite.write(folder.resolve(DriveContext.checkName(driveId, "drive id") + ".recovery"),
        (password.reveal() + "\n").getBytes(StandardCharsets.US_ASCII), true);
  }

  /** The unlock secret of a drive; the import reads it from here, by the record's {@code unlockSecretRef}. */
  public RecoveryPassword recoveryPassword(String importJob, String driveId) {
    Path file = jobFolder(importJob).resolve(DriveContext.checkName(driveId, "drive id") + ".recovery");
    try {
      return RecoveryPassword.parse(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new WrongUnlockSecretException("The recovery password of drive " + driveId + " (" + file + ") cannot be read ("
          + e.getMessage() + "): restore the key store from its backup.", e);
    }
  }

  /** Held while one process prepares the job's drives; the kernel releases it if the process dies. */
  AutoCloseable lock(String importJob) throws IOException {
    Path lockFile = root().resolve(DriveContext.checkName(importJob, "import job name") + ".lock");
    createPrivateDirectories(root());
    return ExclusiveFileLock.tryAcquire(lockFile).orElseThrow(() -> new PreparationLockedException("Another preparation of "
        + "import job " + importJob + " is running on this copy computer; wait for it to finish."));
  }

  void deleteJob(String importJob) throws IOException {
    Path folder = jobFolder(importJob);
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    }
  }

  private static void createPrivateDirectories(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder.getParent());
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}

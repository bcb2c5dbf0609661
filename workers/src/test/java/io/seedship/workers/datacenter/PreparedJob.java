package io.seedship.workers.datacenter;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepListener;
import io.seedship.workers.diskprep.DiskPrepOutcome;
import io.seedship.workers.diskprep.DiskPrepRequest;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.diskprep.KdfParameters;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A staged repository made by the real backup engine and prepared onto two declared drives by the real disk
 * preparation: the first drive small (a few packs), the second taking the rest.
 */
record PreparedJob(String importJob, Path repository, DiskPrepKeyStore keyStore, List<DriveRecord> drives) {

  private static final int FILE_BYTES = 300 * 1024;

  static PreparedJob prepare(Path temp, String importJob, int randomFiles) throws IOException {
    String seedingId = "seed-" + importJob;
    Path source = temp.resolve("source");
    Random random = new Random(importJob.hashCode());
    for (int i = 0; i < randomFiles; i++) {
      byte[] content = new byte[FILE_BYTES];
      random.nextBytes(content);
      Files.createDirectories(source.resolve("dir" + (i % 2)));
      Files.write(source.resolve("dir" + (i % 2)).resolve("random-" + i + ".bin"), content);
    }
    Files.writeString(source.resolve("notes.txt"), "a small text file\n".repeat(500));
    Path staging = temp.resolve("staging");
    Path keyFile = temp.resolve("staging-keys").resolve(seedingId + ".key");
    RepositorySecret.generateKeyFile(keyFile);
    Path repository = StagingLayout.repositoryFor(staging, seedingId);
    Repository repo = Repository.init(repository, RepositorySecret.ofKeyFile(keyFile), KeyDerivation.FAST);
    new Backup(repo, BackupOptions.defaults().withPackTargetSize(256 * 1024).withWorkers(1)
        .withTags(List.of(StagingLayout.tagFor(seedingId)))).run(source, ProgressListener.NONE);

    Path small = drive(temp, "small", 3L * FILE_BYTES + 256 * 1024);
    Path large = drive(temp, "large", 0);
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("copy-computer-keys"));
    DiskPrepOutcome outcome = new PrepareDrives(keyStore, DriveInspector.system(), KdfParameters.FAST)
        .prepare(new DiskPrepRequest(seedingId, staging, importJob, List.of(small, large), false, null), DiskPrepListener.NONE);
    assertThat(outcome).isInstanceOf(DiskPrepOutcome.AllDrivesPrepared.class);
    List<DriveRecord> records = keyStore.drives(importJob);
    assertThat(records).hasSize(2);
    return new PreparedJob(importJob, repository, keyStore, records);
  }

  private static Path drive(Path temp, String name, long capacity) throws IOException {
    Path drive = temp.resolve("drives").resolve(name);
    Files.createDirectories(drive);
    Files.writeString(drive.resolve("seedship-drive.properties"),
        "bus=SATA\nmedia=SSD\nsize=2TB\n" + (capacity > 0 ? "capacity=" + capacity + "\n" : ""));
    return drive;
  }

  List<DriveSpec> driveSpecs() {
    return drives.stream().map(r -> new DriveSpec(r.driveId(), r.unlockSecretRef(), r.manifestSha256())).toList();
  }

  /** SHA-256 of every staged file that travels, by blob name. */
  Map<String, String> stagedHashes() throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (String name : StagedFiles.of(repository)) {
      hashes.put(name, sha256(Files.readAllBytes(repository.resolve(name))));
    }
    return hashes;
  }

  /** SHA-256 of every data blob (the logs under waimportexport/ left out), downloaded. */
  static Map<String, String> containerHashes(BlobContainerClient container) {
    Map<String, String> hashes = new TreeMap<>();
    for (BlobItem item : container.listBlobs()) {
      if (!item.getName().startsWith("waimportexport/")) {
        hashes.put(item.getName(), sha256(container.getBlobClient(item.getName()).downloadContent().toBytes()));
      }
    }
    return hashes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.seedship.workers.diskprep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.diskprep.ReadDrive;
import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.staging.StagingLayout;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator uses it: pick the job, refuse a USB drive, confirm formatting, span onto a second drive. */
class DiskPrepCommandTest {

  @TempDir
  Path temp;

  @Test
  void anOperatorPreparesTwoDrivesAnsweringThePrompts() throws IOException {
    Path staging = temp.resolve("staging");
    stage(staging, "alpha", 1);
    stage(staging, "beta", 6);
    Path usb = drive("usb", "USB", 0);
    Path first = drive("first", "SATA", 1200 * 1024);
    Files.writeString(first.resolve("old-backup.tar"), "someone's old data");
    Path second = drive("second", "SATA", 0);
    Path publishSettings = temp.resolve("subscription.publishsettings");
    Files.writeString(publishSettings, "<?xml version=\"1.0\"?><PublishData><PublishProfile SchemaVersion=\"2.0\">"
        + "<Subscription ServiceManagementUrl=\"https://management.core.windows.net\" Id=\"0f1e2d3c-aaaa-bbbb-cccc-000000000001\" "
        + "Name=\"Backup subscription\" /></PublishProfile></PublishData>");
    String answers = String.join("\n", "2", "", usb.toString(), first.toString(), "y", second.toString()) + "\n";
    ByteArrayOutputStream output = new ByteArrayOutputStream();

    int exit = DiskPrepCommand.run(new String[] {"s:" + staging, "p:" + publishSettings, "k:" + temp.resolve("keys")},
        new BufferedReader(new StringReader(answers)), new PrintStream(output, true, StandardCharsets.UTF_8));

    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("subscription Backup subscription (0f1e2d3c-aaaa-bbbb-cccc-000000000001, AZURE_PUBLIC)")
        .contains("1) new import job for seeding alpha").contains("2) new import job for seeding beta")
        .contains("Drive refused: The drive at " + usb).contains("holds other data (old-backup.tar)")
        .contains(" is full. ").contains("2 drive(s) ready to ship for import job beta").contains("[####");
    assertThat(first.resolve("old-backup.tar")).doesNotExist();
    assertThat(usb.resolve("SEEDSHIP")).doesNotExist();

    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(temp.resolve("keys"));
    List<DriveRecord> records = keyStore.drives("beta");
    assertThat(records).extracting(DriveRecord::state).containsExactly(DriveRecord.State.SEALED, DriveRecord.State.SEALED);
    assertThat(keyStore.jobInfo("beta").subscriptionId()).isEqualTo("0f1e2d3c-aaaa-bbbb-cccc-000000000001");
    int files = 0;
    for (DriveRecord record : records) {
      ReadDrive read = ReadDrive.open(Path.of(record.mount()), keyStore.recoveryPassword("beta", record.driveId()), record.manifestSha256());
      files += read.manifest().entries().size();
      assertThat(read.verify(b -> { })).isPositive();
      assertThat(text).doesNotContain(keyStore.recoveryPassword("beta", record.driveId()).reveal());
    }
    try (var walk = Files.walk(StagingLayout.repositoryFor(staging, "beta"))) {
      assertThat(files).isEqualTo(walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("lock")).count());
    }
  }

  @Test
  void aStagingLocationWithoutBackupsAndBadArgumentsAreExplained() throws IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    Path empty = Files.createDirectories(temp.resolve("empty"));

    assertThat(DiskPrepCommand.run(new String[] {"s:" + empty, "k:" + temp.resolve("keys")}, new BufferedReader(new StringReader("")), out))
        .isEqualTo(DiskPrepCommand.FAILED);
    assertThat(DiskPrepCommand.run(new String[] {"x:whatever"}, new BufferedReader(new StringReader("")), out))
        .isEqualTo(DiskPrepCommand.USAGE);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("holds no finished Seedship backup").contains("Unknown argument 'x:whatever'")
        .contains("usage: seedship diskprep s:<staging location>");
  }

  private void stage(Path staging, String seedingId, int files) throws IOException {
    Path source = temp.resolve("source-" + seedingId);
    Files.createDirectories(source);
    Random random = new Random(seedingId.hashCode());
    for (int i = 0; i < files; i++) {
      byte[] content = new byte[300 * 1024];
      random.nextBytes(content);
      Files.write(source.resolve("f" + i + ".bin"), content);
    }
    Path keyFile = temp.resolve("staging-keys").resolve(seedingId + ".key");
    RepositorySecret.generateKeyFile(keyFile);
    Repository repository = Repository.init(StagingLayout.repositoryFor(staging, seedingId), RepositorySecret.ofKeyFile(keyFile),
        KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults().withPackTargetSize(256 * 1024).withWorkers(1)).run(source, ProgressListener.NONE);
  }

  private Path drive(String name, String bus, long capacity) throws IOException {
    Path drive = Files.createDirectories(temp.resolve("drives").resolve(name));
    Files.writeString(drive.resolve("seedship-drive.properties"),
        "bus=" + bus + "\nmedia=SSD\nsize=1TB\n" + (capacity > 0 ? "capacity=" + capacity + "\n" : ""));
    return drive;
  }
}

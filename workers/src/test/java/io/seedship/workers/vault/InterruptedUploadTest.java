package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.repository.VerifyReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backup to the vault stopped part-way (a failure after N blobs; a worker JVM killed with SIGKILL while backing up and
 * while uploading): the vault never holds a snapshot whose packs or index are missing, and the next run commits
 * everything, restorable byte for byte.
 */
class InterruptedUploadTest extends VaultTestBase {

  private static final Pattern PROGRESS = Pattern.compile("progress (\\w+) (\\d+)/(\\d+) \\w+  ");

  private Path source;

  @BeforeEach
  void kit() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 13);
  }

  @Test
  void aFailureAfterTwoBlobsLeavesTheVaultAsItWasAndTheNextRunCommitsTheBackup() throws Exception {
    BackUpToVault backUp = new BackUpToVault(kit.vault);
    backUp.run(new BackUpToVault.Request("cut-a", source, "seed", true), VaultListener.NONE);
    List<String> before = kit.vaultBlobs("cut-a");
    addFiles(source.resolve("added"), 6, 300_000, 3);
    Map<String, String> state = SourceTrees.describe(source);
    int[] uploaded = {0};
    VaultListener failsAfterTwoBlobs = p -> {
      if (p.phase() == VaultProgress.Phase.UPLOADING && ++uploaded[0] == 2) {
        throw new IllegalStateException("connection lost after 2 blobs");
      }
    };

    assertThatThrownBy(() -> backUp.run(new BackUpToVault.Request("cut-a", source, "task-1", false), failsAfterTwoBlobs))
        .hasMessage("connection lost after 2 blobs");

    List<String> after = kit.vaultBlobs("cut-a");
    assertThat(snapshots(after)).isEqualTo(snapshots(before));
    // the packs go up side by side: those in flight when the listener failed finished too; no index file went up
    List<String> added = after.stream().filter(name -> !before.contains(name)).toList();
    assertThat(added).hasSizeGreaterThanOrEqualTo(2).allMatch(name -> name.startsWith("data/"));
    assertThat(kit.vault.catalogue().recoveryPoints("cut-a")).hasSize(1);
    assertThat(kit.cachedPacks("cut-a")).isPositive();
    assertThat(new VerifyVault(kit.vault).verify("cut-a", true, VaultListener.NONE).problems()).isEmpty();

    VaultBackupResult redelivered = backUp.run(new BackUpToVault.Request("cut-a", source, "task-1", false), VaultListener.NONE);

    assertThat(redelivered.alreadyDone()).as("the interrupted run's snapshot was committed first").isTrue();
    assertThat(redelivered.recoveryPoint().id()).isEqualTo("rp-2");
    assertThat(redelivered.recoveryPoint().requestId()).isEqualTo("task-1");
    assertThat(redelivered.recoveryPoint().changedBytes()).isEqualTo(6L * 300_000);
    assertThat(redelivered.recoveryPoint().bytesUploaded()).isGreaterThan(6L * 300_000);
    assertThat(kit.cachedPacks("cut-a")).isZero();
    Path target = temp.resolve("restored");
    new RestoreFromVault(kit.vault).restore("cut-a", "rp-2", "", target, VaultListener.NONE);
    assertThat(SourceTrees.describe(target)).containsExactlyEntriesOf(state);
  }

  @Test
  void aWorkerKilledWhileBackingUpAndAgainWhileUploadingLosesNothingAndTheNextRunCommits() throws Exception {
    new BackUpToVault(kit.vault).run(new BackUpToVault.Request("kill-a", source, "seed", true), VaultListener.NONE);
    addFiles(source.resolve("big"), 24, 1 << 20, 17);
    Map<String, String> state = SourceTrees.describe(source);
    List<String> seeded = kit.vaultBlobs("kill-a");

    Process backingUp = vaultBackup("kill-a");
    killWhen(backingUp, m -> m.group(1).equals("backing_up") && cachedPacks("kill-a") >= 3);
    assertThat(kit.vaultBlobs("kill-a")).as("killed before any upload").isEqualTo(seeded);
    long packsAfterFirstKill = kit.cachedPacks("kill-a");
    assertThat(packsAfterFirstKill).as("packs written before the kill").isPositive();

    Process uploading = vaultBackup("kill-a");
    // It first uploads the packs the killed run left, then backs up, then uploads the new ones: killed in that last upload.
    boolean[] backedUp = {false};
    killWhen(uploading, m -> {
      backedUp[0] |= m.group(1).equals("backing_up");
      return backedUp[0] && m.group(1).equals("uploading") && Integer.parseInt(m.group(2)) >= 4
          && Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(3));
    });
    List<String> afterSecondKill = kit.vaultBlobs("kill-a");
    assertThat(afterSecondKill.size()).isGreaterThan(seeded.size());
    assertThat(snapshots(afterSecondKill)).as("no snapshot without its packs and index").isEqualTo(snapshots(seeded));
    VerifyReport consistent = new VerifyVault(kit.vault).verify("kill-a", true, VaultListener.NONE);
    assertThat(consistent.problems()).isEmpty();
    assertThat(kit.vault.catalogue().recoveryPoints("kill-a")).hasSize(1);

    VaultBackupResult resumed = new BackUpToVault(kit.vault).run(new BackUpToVault.Request("kill-a", source, "after-kills", false),
        VaultListener.NONE);

    List<RecoveryPoint> points = kit.vault.catalogue().recoveryPoints("kill-a");
    assertThat(points).extracting(RecoveryPoint::id).containsExactly("rp-1", "rp-2", "rp-3");
    assertThat(resumed.recoveryPoint().id()).isEqualTo("rp-3");
    assertThat(points.get(1).changedBytes()).as("the killed run's figures were kept").isEqualTo(24L << 20);
    assertThat(resumed.changedBytes()).as("nothing changed since the killed run's snapshot").isZero();
    assertThat(kit.cachedPacks("kill-a")).isZero();
    for (String point : List.of("rp-2", "rp-3")) {
      Path target = temp.resolve("restored-" + point);
      new RestoreFromVault(kit.vault).restore("kill-a", point, "", target, VaultListener.NONE);
      assertThat(SourceTrees.describe(target)).as(point).containsExactlyEntriesOf(state);
    }
    VerifyReport report = new VerifyVault(kit.vault).verify("kill-a", true, VaultListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.notes()).isEmpty();
  }

  private static void addFiles(Path dir, int count, int size, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      Files.write(dir.resolve("f" + i + ".bin"), SourceTrees.randomBytes(random, size));
    }
  }

  private long cachedPacks(String protectionId) {
    try {
      return kit.cachedPacks(protectionId);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> snapshots(List<String> names) {
    return names.stream().filter(n -> n.startsWith("snapshots/")).toList();
  }

  private Process vaultBackup(String protectionId) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.seedship.workers.vault.cli.VaultCommand", "backup",
        "--seeding", protectionId, "--source", source.toString(), "--pack-size", "1M", "--block-size", "256K", "--workers", "1",
        "--progress-interval", "20", "--key-dir", kit.keyDirectory.toString(), "--cache", kit.cacheDirectory.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SEEDSHIP_VAULT_CONNECTION_STRING", AzuriteFixture.connectionString());
    builder.environment().put("SEEDSHIP_VAULT_CONTAINER", kit.vaultContainer);
    builder.environment().put("SEEDSHIP_DB_URL", database.url());
    builder.environment().put("SEEDSHIP_DB_USER", "postgres");
    return builder.start();
  }

  /** Reads the child's progress lines until one matches, then SIGKILLs it. */
  private static void killWhen(Process child, Predicate<Matcher> when) throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = lines.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = PROGRESS.matcher(line);
      if (m.find() && when.test(m)) {
        assertThat(child.isAlive()).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return;
      }
    }
    throw new AssertionError("the vault backup ended before the moment to kill it:\n" + seen);
  }
}

package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a backup running in another JVM, twice, then resume: the result restores identically and verifies. */
class CrashResumeTest {

  private static final Pattern PACKS = Pattern.compile("packs=(\\d+)");

  @TempDir
  Path temp;

  @Test
  void aBackupKilledTwiceResumesReusesItsPacksAndRestoresIdentically() throws Exception {
    Path source = temp.resolve("source");
    Path repo = temp.resolve("repo");
    Path keyFile = temp.resolve("keys/seeding.key");
    writeSource(source);
    RepositorySecret.generateKeyFile(keyFile);
    Repository.init(repo, RepositorySecret.ofKeyFile(keyFile), KeyDerivation.FAST);

    int packsBefore = 0;
    for (int kill = 1; kill <= 2; kill++) {
      Process child = startBackup(source, repo, keyFile);
      waitForPacksThenKill(child, 3);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      int packs = countPacks(repo);
      assertThat(packs).as("kill %d happened mid-run, after new packs", kill).isGreaterThan(packsBefore);
      packsBefore = packs;
      assertThat(Repository.open(repo, RepositorySecret.ofKeyFile(keyFile)).snapshots()).isEmpty();
    }

    Process last = startBackup(source, repo, keyFile);
    String output = drain(last);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(output).isZero();
    assertThat(output).contains("packs of an interrupted run reused");

    Repository repository = Repository.open(repo, RepositorySecret.ofKeyFile(keyFile));
    assertThat(repository.snapshots()).hasSize(1);
    Path target = temp.resolve("restored");
    new Restore(repository, 2).run(repository.snapshot("latest"), "", target);
    SourceTrees.assertSameTree(source, target);
    VerifyReport report = new Verify(repository, 2).run(true);
    assertThat(report.problems()).isEmpty();
    assertThat(report.notes()).isEmpty();
  }

  private static void writeSource(Path source) throws IOException {
    Random random = new Random(3);
    for (int i = 0; i < 24; i++) {
      Path dir = source.resolve("d" + (i % 4));
      Files.createDirectories(dir);
      byte[] content = i % 2 == 0 ? SourceTrees.randomBytes(random, 4 << 20) : SourceTrees.textBytes(random, 3 << 20);
      Files.write(dir.resolve("f" + i + (i % 2 == 0 ? ".bin" : ".log")), content);
    }
  }

  private static Process startBackup(Path source, Path repo, Path keyFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.seedship.workers.cli.SeedshipCli", "backup",
        "--repo", repo.toString(), "--source", source.toString(), "--key-file", keyFile.toString(),
        "--pack-size", "1M", "--progress-interval", "20", "--workers", "1"));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Reads the child's progress lines until it reports {@code newPacks} packs written, then SIGKILLs it. */
  private static void waitForPacksThenKill(Process child, int newPacks) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = lines.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = PACKS.matcher(line);
      if (m.find() && Integer.parseInt(m.group(1)) >= newPacks) {
        assertThat(child.isAlive()).isTrue();
        child.destroyForcibly();
        return;
      }
    }
    throw new AssertionError("the backup ended before it wrote " + newPacks + " packs:\n" + seen);
  }

  private static String drain(Process child) throws IOException {
    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static int countPacks(Path repo) throws IOException {
    try (var files = Files.walk(repo.resolve("data"))) {
      return (int) files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{32}")).count();
    }
  }
}

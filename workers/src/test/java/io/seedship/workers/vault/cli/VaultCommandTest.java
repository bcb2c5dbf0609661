package io.seedship.workers.vault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.repository.SourceTrees;
import io.seedship.workers.vault.VaultTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code seedship vault ...} end to end: seed copy, backup, snapshots, restore, verify, audit; exit codes; no secret printed. */
class VaultCommandTest extends VaultTestBase {

  private Path source;
  private final String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void kit() throws Exception {
    source = temp.resolve("source");
    SourceTrees.writeEdgeCases(source, 31);
  }

  @Test
  void seedCopyBackupSnapshotsRestoreVerifyAndDamage() throws Exception {
    BlobContainerClient imported = kit.importContainer(kit.stage(id, source));

    assertThat(vault("seed-copy", "--seeding", id, "--container", imported.getBlobContainerName(), "--storage-account", "seedshipstore"))
        .isZero();
    assertThat(text(out)).contains("copied into the vault as rp-1").contains("copy: SERVER_SIDE").contains("progress copying");
    Files.writeString(source.resolve("docs/added.txt"), "added after the seed\n");
    assertThat(vault("backup", "--seeding", id, "--source", source.toString(), "--pack-size", "512K")).isZero();
    assertThat(text(out)).contains("rp-2 of protection " + id).contains("progress uploading");
    assertThat(vault("snapshots", "--seeding", id)).isZero();
    assertThat(text(out)).contains("rp-1    SEED").contains("rp-2    INCREMENTAL").contains("2 recovery point(s)");

    Path target = temp.resolve("restored");
    assertThat(vault("restore", "--seeding", id, "--target", target.toString(), "--point", "rp-2")).isZero();
    SourceTrees.assertSameTree(source, target);
    assertThat(vault("verify", "--seeding", id, "--read-data")).isZero();
    assertThat(text(out)).contains("ok: protection " + id).contains("chunks read");

    BlobClient pack = kit.vaultContainer().listBlobs().stream().filter(b -> b.getName().startsWith(id + "/data/"))
        .map(b -> kit.vaultContainer().getBlobClient(b.getName())).findFirst().orElseThrow();
    Map<String, String> metadata = pack.getProperties().getMetadata();
    byte[] bytes = pack.downloadContent().toBytes();
    bytes[bytes.length / 2] ^= 1;
    pack.upload(BinaryData.fromBytes(bytes), true);
    pack.setMetadata(metadata);
    assertThat(vault("verify", "--seeding", id, "--read-data")).isEqualTo(VaultCommand.FAILED);
    assertThat(text(err)).contains("DAMAGED").contains(pack.getBlobName().substring(pack.getBlobName().lastIndexOf('/') + 1));

    String all = text(out) + text(err);
    assertThat(all).doesNotContain("AccountKey").doesNotContain(Files.readString(kit.vault.keyFile(id)).strip());
  }

  @Test
  void usageMistakesAndAMissingDatabaseAreSaidPlainly() {
    assertThat(vault("restore", "--seeding", id)).isEqualTo(VaultCommand.USAGE);
    assertThat(text(err)).contains("--target is required");
    assertThat(vault("frobnicate")).isEqualTo(VaultCommand.USAGE);
    assertThat(VaultCommand.run(new String[] {"snapshots", "--seeding", id}, print(out), print(err), name -> null))
        .isEqualTo(VaultCommand.USAGE);
    assertThat(text(err)).contains("SEEDSHIP_DB_URL");
  }

  private int vault(String... args) {
    out.reset();
    err.reset();
    Map<String, String> env = Map.of("SEEDSHIP_VAULT_CONNECTION_STRING", AzuriteFixture.connectionString(),
        "SEEDSHIP_VAULT_CONTAINER", kit.vaultContainer, "SEEDSHIP_KEY_DIR", kit.keyDirectory.toString(),
        "SEEDSHIP_VAULT_CACHE", kit.cacheDirectory.toString(), "SEEDSHIP_DB_URL", database.url(), "SEEDSHIP_DB_USER", "postgres");
    String[] withInterval = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--progress-interval", "10")).toArray(String[]::new);
    return VaultCommand.run(args.length > 0 && args[0].equals("frobnicate") ? args : withInterval, print(out), print(err), env::get);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}

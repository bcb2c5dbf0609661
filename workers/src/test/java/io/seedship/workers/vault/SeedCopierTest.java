package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.ChecksummedUpload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three ways of the seed copy on Azurite 3.37: Copy Blob From URL, Copy Blob (polled), streamed; each checked. */
class SeedCopierTest extends VaultTestBase {

  private BlobContainerClient imported;
  private Map<String, RemoteFile> listed;
  private final String name = "data/5e/5e" + "0123456789abcdef".repeat(2).substring(0, 30);

  @BeforeEach
  void importedBlob() throws Exception {
    imported = kit.service.createBlobContainer("import-" + UUID.randomUUID().toString().substring(0, 8));
    byte[] content = new byte[3 * 1024 * 1024 + 77];
    new Random(3).nextBytes(content);
    Path file = Files.write(temp.resolve("pack"), content);
    new ChecksummedUpload(imported).upload(file, name);
    listed = BlobFiles.list(imported, "");
  }

  @Test
  void copyBlobFromUrlKeepsLengthAndChecksums() {
    VaultBlobs blobs = kit.vault.blobs("copy-a");
    SeedCopier.Copied copied = new SeedCopier(imported, blobs, CopyMode.SERVER_SIDE, temp.resolve("t"))
        .copy(name, listed.get(name), null);
    assertThat(copied.way()).isEqualTo(SeedCopier.Way.SERVER_SIDE);
    assertSameBlob(blobs);
  }

  @Test
  void copyBlobPolledWithASasOnTheSourceForBlobsAboveTheSynchronousLimit() {
    VaultBlobs blobs = kit.vault.blobs("copy-b");
    SeedCopier.Copied copied = new SeedCopier(imported, blobs, CopyMode.SERVER_SIDE, temp.resolve("t"), 1024)
        .copy(name, listed.get(name), null);
    assertThat(copied.way()).isEqualTo(SeedCopier.Way.SERVER_SIDE);
    assertSameBlob(blobs);
  }

  @Test
  void streamedThroughTheWorkerAndSkippedWhenTheVaultHoldsItAlready() {
    VaultBlobs blobs = kit.vault.blobs("copy-c");
    SeedCopier copier = new SeedCopier(imported, blobs, CopyMode.STREAM, temp.resolve("t"));
    SeedCopier.Copied copied = copier.copy(name, listed.get(name), null);
    assertThat(copied.way()).isEqualTo(SeedCopier.Way.STREAMED);
    assertThat(copied.bytesSent()).isEqualTo(listed.get(name).size());
    assertSameBlob(blobs);
    SeedCopier.Copied again = copier.copy(name, listed.get(name), blobs.list().get(name));
    assertThat(again.way()).isEqualTo(SeedCopier.Way.SKIPPED);
  }

  @Test
  void aVaultBlobWithOtherBytesIsNotMistakenForTheSource() {
    VaultBlobs blobs = kit.vault.blobs("copy-d");
    new SeedCopier(imported, blobs, CopyMode.SERVER_SIDE, temp.resolve("t")).copy(name, listed.get(name), null);
    byte[] other = blobs.blob(name).downloadContent().toBytes();
    other[10] ^= 1;
    blobs.blob(name).upload(BinaryData.fromBytes(other), true);
    blobs.blob(name).setMetadata(Map.of("sha256", listed.get(name).sha256()));
    SeedCopier.Copied copied = new SeedCopier(imported, blobs, CopyMode.SERVER_SIDE, temp.resolve("t"))
        .copy(name, listed.get(name), blobs.list().get(name));
    assertThat(copied.way()).as("its Content-MD5 differs").isEqualTo(SeedCopier.Way.SERVER_SIDE);
    assertSameBlob(blobs);
  }

  private void assertSameBlob(VaultBlobs blobs) {
    RemoteFile copy = blobs.list().get(name);
    assertThat(copy.size()).isEqualTo(listed.get(name).size());
    assertThat(copy.sha256()).isEqualTo(listed.get(name).sha256());
    assertThat(blobs.blob(name).downloadContent().toBytes()).isEqualTo(imported.getBlobClient(name).downloadContent().toBytes());
  }
}

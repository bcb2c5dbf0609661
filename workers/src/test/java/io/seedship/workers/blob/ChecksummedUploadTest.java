package io.seedship.workers.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(AzuriteFixture.class)
class ChecksummedUploadTest {

  private static final int BLOCK = 1024 * 1024;

  @TempDir
  Path temp;

  private BlobContainerClient container;

  @BeforeEach
  void container() {
    container = BlobClients.fromConnectionString(AzuriteFixture.connectionString())
        .createBlobContainer("upload-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Test
  void uploadsBlockByBlockWithChecksumsAndTheBytesComeBackEqual() throws Exception {
    Path file = randomFile("pack", 3 * BLOCK + 12345, 1);

    UploadResult result = new ChecksummedUpload(container, BLOCK).upload(file, "data/ab/pack");

    assertThat(result.alreadyPresent()).isFalse();
    assertThat(result.blocksStaged()).isEqualTo(4);
    assertThat(result.sha256()).isEqualTo(sha256(Files.readAllBytes(file)));
    BlockBlobClient blob = container.getBlobClient("data/ab/pack").getBlockBlobClient();
    assertThat(sha256(blob.downloadContent().toBytes())).isEqualTo(sha256(Files.readAllBytes(file)));
    assertThat(blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).hasSize(4);
    assertThat(blob.getProperties().getContentMd5()).isEqualTo(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    assertThat(blob.getProperties().getMetadata()).containsEntry("sha256", result.sha256());
  }

  @Test
  void aSecondUploadOfTheSameFileSendsNothing() throws Exception {
    Path file = randomFile("index", BLOCK + 7, 2);
    ChecksummedUpload upload = new ChecksummedUpload(container, BLOCK);
    upload.upload(file, "index/one");
    String etag = container.getBlobClient("index/one").getProperties().getETag();

    UploadResult again = upload.upload(file, "index/one");

    assertThat(again.alreadyPresent()).isTrue();
    assertThat(again.blocksStaged()).isZero();
    assertThat(container.getBlobClient("index/one").getProperties().getETag()).isEqualTo(etag);
  }

  @Test
  void resumesAnInterruptedUploadWithoutStagingItsBlocksAgain() throws Exception {
    Path file = randomFile("big", 3 * BLOCK, 3);
    byte[] bytes = Files.readAllBytes(file);
    BlockBlobClient blob = container.getBlobClient("data/cd/big").getBlockBlobClient();
    // an earlier attempt staged the first two blocks and died before the commit
    for (int i = 0; i < 2; i++) {
      byte[] block = java.util.Arrays.copyOfRange(bytes, i * BLOCK, (i + 1) * BLOCK);
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(block));
      blob.stageBlock(BlockIds.of(i, md5), new ByteArrayInputStream(block), block.length);
    }

    UploadResult result = new ChecksummedUpload(container, BLOCK).upload(file, "data/cd/big");

    assertThat(result.blocksReused()).isEqualTo(2);
    assertThat(result.blocksStaged()).isEqualTo(1);
    assertThat(sha256(blob.downloadContent().toBytes())).isEqualTo(sha256(bytes));
  }

  @Test
  void aBlobWithOtherBytesIsReplacedEvenWhenItsMetadataClaimsTheRightChecksum() throws Exception {
    Path file = randomFile("snap", 5000, 4);
    byte[] bytes = Files.readAllBytes(file);
    byte[] wrong = bytes.clone();
    wrong[100] ^= 1;
    BlockBlobClient blob = container.getBlobClient("snapshots/s").getBlockBlobClient();
    blob.upload(BinaryData.fromBytes(wrong), true);
    blob.setMetadata(java.util.Map.of("sha256", sha256(bytes)));

    UploadResult result = new ChecksummedUpload(container, BLOCK).upload(file, "snapshots/s");

    assertThat(result.alreadyPresent()).isFalse();
    assertThat(blob.downloadContent().toBytes()).isEqualTo(bytes);
  }

  @Test
  void anEmptyFileBecomesAnEmptyVerifiedBlob() throws Exception {
    Path file = Files.createFile(temp.resolve("empty"));

    UploadResult result = new ChecksummedUpload(container, BLOCK).upload(file, "empty");

    assertThat(result.bytes()).isZero();
    assertThat(container.getBlobClient("empty").getProperties().getBlobSize()).isZero();
  }

  private Path randomFile(String name, int size, long seed) throws Exception {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return Files.write(temp.resolve(name), content);
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

package io.seedship.workers.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void crc64IsTheServicesCrc64Nvme() {
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Crc64.of(check, 0, check.length)).isEqualTo(0xae8b14860a799888L);
    byte[] random = new byte[1_000_003];
    new Random(9).nextBytes(random);
    for (int[] range : new int[][] {{0, random.length}, {3, 17}, {1, 0}, {3, 1_000_000}}) {
      assertThat(Crc64.of(random, range[0], range[1]))
          .isEqualTo(com.azure.storage.common.implementation.contentvalidation.StorageCrc64Calculator.compute(
              java.util.Arrays.copyOfRange(random, range[0], range[0] + range[1]), 0));
    }
  }

  @Test
  void blocksStagedAheadWhileTheFileIsWrittenAreNeitherSentAgainNorDownloaded() throws Exception {
    Requests requests = new Requests(false, 0, false);
    BlobContainerClient watched = requests.container(container.getBlobContainerName());
    Path file = randomFile("growing", 2 * BLOCK + 777, 7);
    byte[] bytes = Files.readAllBytes(file);
    ChecksummedUpload upload = new ChecksummedUpload(watched, BLOCK);
    // the two full blocks, as a pack writer hands them over before the file is finished
    for (int i = 0; i < 2; i++) {
      assertThat(upload.stageAhead("data/aa/growing", i, java.util.Arrays.copyOfRange(bytes, i * BLOCK, (i + 1) * BLOCK))).isTrue();
    }
    assertThat(requests.blocksStaged.get()).isEqualTo(2);

    UploadResult result = upload.uploadNew(file, "data/aa/growing");

    assertThat(requests.blocksStaged.get()).as("only the last block is staged by the upload").isEqualTo(3);
    assertThat(requests.downloads.get()).as("blocks checked ahead need no download").isZero();
    assertThat(result.blocksReused()).isZero();
    assertThat(result.bytesSent()).isEqualTo(bytes.length);
    assertThat(container.getBlobClient("data/aa/growing").downloadContent().toBytes()).isEqualTo(bytes);
  }

  @Test
  void aBlockStagedAheadByAnotherProcessIsReusedButTheBlobIsCheckedByItsDownload() throws Exception {
    Path file = randomFile("resumed", 2 * BLOCK + 5, 8);
    byte[] bytes = Files.readAllBytes(file);
    new ChecksummedUpload(container, BLOCK).stageAhead("data/bb/resumed", 0, java.util.Arrays.copyOfRange(bytes, 0, BLOCK));
    Requests requests = new Requests(false, 0, false);

    UploadResult result = new ChecksummedUpload(requests.container(container.getBlobContainerName()), BLOCK)
        .uploadNew(file, "data/bb/resumed");

    assertThat(result.blocksReused()).isEqualTo(1);
    assertThat(requests.downloads.get()).as("not checked by this process: the blob is downloaded and compared").isPositive();
    assertThat(container.getBlobClient("data/bb/resumed").downloadContent().toBytes()).isEqualTo(bytes);
  }

  @Test
  void aCheckedUploadDoesNotDownloadTheBlob() throws Exception {
    Requests requests = new Requests(false, 0, false);
    BlobContainerClient watched = requests.container(container.getBlobContainerName());
    Path file = randomFile("pack", 3 * BLOCK + 5, 5);

    UploadResult result = new ChecksummedUpload(watched, BLOCK).upload(file, "data/ef/pack");

    assertThat(result.blocksStaged()).isEqualTo(4);
    assertThat(requests.downloads.get()).isZero();
    assertThat(requests.blocksStaged.get()).isEqualTo(4);
    assertThat(sha256(container.getBlobClient("data/ef/pack").downloadContent().toBytes())).isEqualTo(sha256(Files.readAllBytes(file)));
  }

  @Test
  void aBlockGarbledOnTheWayUpToAServiceThatChecksNothingIsCaughtByItsCrc64AndSentAgain() throws Exception {
    // The first Put Block arrives with a flipped byte and without our CRC-64 header (so Azurite cannot refuse it):
    // only our comparison with the CRC-64 the service computed over what it stored can see it.
    Requests requests = new Requests(true, 1, true);
    BlobContainerClient garbling = requests.container(container.getBlobContainerName());
    Path file = randomFile("pack", 2 * BLOCK + 99, 6);

    UploadResult result = new ChecksummedUpload(garbling, BLOCK).upload(file, "data/01/pack");

    assertThat(requests.garbled.get()).isEqualTo(1);
    assertThat(requests.blocksStaged.get()).isEqualTo(4); // 3 blocks, one of them twice
    assertThat(result.blocksStaged()).isEqualTo(3);
    assertThat(container.getBlobClient("data/01/pack").downloadContent().toBytes()).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void aBlockGarbledEveryTimeFailsTheUploadAndNothingIsCommitted() throws Exception {
    Requests requests = new Requests(true, Integer.MAX_VALUE, true);
    BlobContainerClient garbling = requests.container(container.getBlobContainerName());
    Path file = randomFile("pack", BLOCK + 1, 7);

    assertThatThrownBy(() -> new ChecksummedUpload(garbling, BLOCK).upload(file, "data/02/pack"))
        .isInstanceOf(BlobChecksumException.class).hasMessageContaining("arrived garbled 3 times");

    assertThat(container.getBlobClient("data/02/pack").exists()).isFalse();
  }

  @Test
  void aGarbledBlockSentWithItsCrc64IsSentAgainWhetherTheServiceRefusesItOrOurCompareCatchesIt() throws Exception {
    // Our CRC-64 header stays on the request: a service that checks it (Azure; Azurite 3.37 by its source) refuses the
    // garbled block (Crc64Mismatch, handled as a mismatch); one that does not is caught by our compare.
    Requests requests = new Requests(true, 1, false);
    BlobContainerClient garbling = requests.container(container.getBlobContainerName());
    Path file = randomFile("index", 5000, 8);

    new ChecksummedUpload(garbling, BLOCK).upload(file, "index/refused");

    assertThat(requests.garbled.get()).isEqualTo(1);
    assertThat(container.getBlobClient("index/refused").downloadContent().toBytes()).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void aGarbledBlockLeftStagedByAnInterruptedAttemptIsCaughtByTheDownloadCheckAndTheBlobDeleted() throws Exception {
    Path file = randomFile("big", 3 * BLOCK, 10);
    byte[] bytes = Files.readAllBytes(file);
    BlockBlobClient blob = container.getBlobClient("data/03/big").getBlockBlobClient();
    // an earlier attempt staged block 1 garbled on the way (a service that checks nothing) and died before its check
    byte[] block = java.util.Arrays.copyOfRange(bytes, BLOCK, 2 * BLOCK);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(block));
    block[7] ^= 1;
    blob.stageBlock(BlockIds.of(1, md5), new ByteArrayInputStream(block), block.length);

    assertThatThrownBy(() -> new ChecksummedUpload(container, BLOCK).upload(file, "data/03/big"))
        .isInstanceOf(BlobChecksumException.class).hasMessageContaining("downloaded bytes");
    assertThat(blob.exists()).isFalse();

    UploadResult again = new ChecksummedUpload(container, BLOCK).upload(file, "data/03/big");
    assertThat(again.blocksReused()).isZero();
    assertThat(blob.downloadContent().toBytes()).isEqualTo(bytes);
  }

  /**
   * Counts Put Block and whole-blob Get requests; optionally garbles the body of the first {@code garbleCount} Put Block
   * requests (one flipped byte), with or without removing our CRC-64 header.
   */
  private static final class Requests implements com.azure.core.http.policy.HttpPipelinePolicy {
    final java.util.concurrent.atomic.AtomicInteger blocksStaged = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger garbled = new java.util.concurrent.atomic.AtomicInteger();
    private final boolean garble;
    private final int garbleCount;
    private final boolean dropCrc;

    Requests(boolean garble, int garbleCount, boolean dropCrc) {
      this.garble = garble;
      this.garbleCount = garbleCount;
      this.dropCrc = dropCrc;
    }

    /** The client: this policy after the request is signed; with {@code dropCrc}, our CRC-64 header is never sent. */
    BlobContainerClient container(String name) {
      com.azure.core.http.policy.HttpPipelinePolicy noCrcHeader = new com.azure.core.http.policy.HttpPipelinePolicy() {
        @Override
        public reactor.core.publisher.Mono<com.azure.core.http.HttpResponse> process(com.azure.core.http.HttpPipelineCallContext context,
                                                                                      com.azure.core.http.HttpPipelineNextPolicy next) {
          // before the headers from the context are added (and signed): a service that is told no checksum checks none
          context.setData(com.azure.core.http.policy.AddHeadersFromContextPolicy.AZURE_REQUEST_HTTP_HEADERS_KEY,
              new com.azure.core.http.HttpHeaders());
          return next.process();
        }

        @Override
        public com.azure.core.http.HttpPipelinePosition getPipelinePosition() {
          return com.azure.core.http.HttpPipelinePosition.PER_CALL;
        }
      };
      return (dropCrc ? BlobClients.fromConnectionString(AzuriteFixture.connectionString(), noCrcHeader, this)
          : BlobClients.fromConnectionString(AzuriteFixture.connectionString(), this)).getBlobContainerClient(name);
    }

    @Override
    public reactor.core.publisher.Mono<com.azure.core.http.HttpResponse> process(com.azure.core.http.HttpPipelineCallContext context,
                                                                                  com.azure.core.http.HttpPipelineNextPolicy next) {
      com.azure.core.http.HttpRequest request = context.getHttpRequest();
      String query = request.getUrl().getQuery() == null ? "" : request.getUrl().getQuery();
      boolean putBlock = request.getHttpMethod() == com.azure.core.http.HttpMethod.PUT
          && java.util.Arrays.asList(query.split("&")).contains("comp=block");
      if (putBlock) {
        blocksStaged.incrementAndGet();
        if (garble && garbled.get() < garbleCount) {
          garbled.incrementAndGet();
          byte[] body = request.getBodyAsBinaryData().toBytes(); // the body is not signed: garbled after the signature
          body[body.length / 2] ^= 0x20;
          request.setBody(BinaryData.fromBytes(body));
        }
      } else if (request.getHttpMethod() == com.azure.core.http.HttpMethod.GET && !query.contains("comp=") && !query.contains("restype=")) {
        downloads.incrementAndGet();
      }
      return next.process();
    }
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

package io.seedship.workers.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import io.seedship.workers.blob.AzuriteFixture;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.repository.PackSource;
import io.seedship.workers.repository.RandomId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The vault's pack store: lengths from a listing, and a backup's read cache (the same range twice is one request). */
@ExtendWith(AzuriteFixture.class)
class BlobPackStoreTest {

  @Test
  void aListedPackIsOpenedWithoutARequestAndTheSameRangeReadTwiceIsFetchedOnceWithTheCache() throws Exception {
    AtomicInteger heads = new AtomicInteger();
    AtomicInteger gets = new AtomicInteger();
    HttpPipelinePolicy counting = (context, next) -> {
      if (context.getHttpRequest().getHttpMethod() == HttpMethod.HEAD) {
        heads.incrementAndGet();
      } else if (context.getHttpRequest().getHttpMethod() == HttpMethod.GET) {
        gets.incrementAndGet();
      }
      return next.process();
    };
    BlobContainerClient container = BlobClients.fromConnectionString(AzuriteFixture.connectionString(), counting)
        .createBlobContainer("packs-" + UUID.randomUUID().toString().substring(0, 8));
    RandomId pack = RandomId.parse(HexFormat.of().formatHex(new Random(4).ints(16, 0, 256).collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray()));
    byte[] bytes = new byte[300_000];
    new Random(3).nextBytes(bytes);
    String name = RepositoryFiles.pack(pack);
    container.getBlobClient("p/" + name).upload(BinaryData.fromBytes(bytes));
    heads.set(0);
    gets.set(0);

    BlobPackStore plain = new BlobPackStore(container, "p/");
    plain.useListing(Map.of(name, new RemoteFile(name, bytes.length, null, null)));
    BlobPackStore cached = plain.withReadCache(1 << 20);
    byte[] first = new byte[1000];
    byte[] second = new byte[1000];
    try (PackSource source = cached.open(pack)) {
      assertThat(source.length()).isEqualTo(bytes.length);
      source.readFully(5000, first, 0, 1000);
      source.readFully(5000, second, 0, 1000);
    }
    assertThat(heads.get()).isZero();
    assertThat(gets.get()).isEqualTo(1);
    assertThat(first).isEqualTo(second).isEqualTo(Arrays.copyOfRange(bytes, 5000, 6000));

    try (PackSource source = plain.open(pack)) {
      source.readFully(5000, second, 0, 1000);
      source.readFully(5000, second, 0, 1000);
    }
    assertThat(gets.get()).as("without the cache every read is a request").isEqualTo(3);
  }
}

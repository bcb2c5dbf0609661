package io.seedship.workers.worker;

import com.azure.storage.blob.BlobServiceClient;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.certificates.jdbc.SimpleDataSource;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What a worker reaches besides the engine, from the environment: Seedship's database ({@code SEEDSHIP_DB_URL},
 * {@code SEEDSHIP_DB_USER}, {@code SEEDSHIP_DB_PASSWORD}; the local datacenter's and the vault catalogue's tables)
 * and the blob storage account ({@code SEEDSHIP_BLOB_CONNECTION_STRING}; it holds the account key, so it is never
 * logged). Either may be absent on a copy computer that only stages and prepares drives.
 */
public record CloudConnections(Optional<DataSource> database, Optional<BlobServiceClient> blobs) {

  public static CloudConnections fromEnvironment(Function<String, String> env) {
    String url = env.apply("SEEDSHIP_DB_URL");
    Optional<DataSource> database = url == null || url.isBlank() ? Optional.empty()
        : Optional.of(new SimpleDataSource(url, or(env.apply("SEEDSHIP_DB_USER"), "postgres"), or(env.apply("SEEDSHIP_DB_PASSWORD"), "")));
    String blob = env.apply("SEEDSHIP_BLOB_CONNECTION_STRING");
    Optional<BlobServiceClient> blobs = blob == null || blob.isBlank() ? Optional.empty()
        : Optional.of(BlobClients.fromConnectionString(blob));
    return new CloudConnections(database, blobs);
  }

  /** What is missing for work that needs both, as a sentence; empty when both are there. */
  public Optional<String> missing() {
    if (database.isPresent() && blobs.isPresent()) {
      return Optional.empty();
    }
    return Optional.of((database.isEmpty() ? "SEEDSHIP_DB_URL" : "") + (database.isEmpty() && blobs.isEmpty() ? " and " : "")
        + (blobs.isEmpty() ? "SEEDSHIP_BLOB_CONNECTION_STRING" : "") + " not set");
  }

  @Override
  public String toString() {
    return "CloudConnections[database " + (database.isPresent() ? "set" : "none") + ", blobs " + (blobs.isPresent() ? "set" : "none")
        + "]";
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }
}

package io.seedship.workers.blob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;

/** Builds blob clients on the JDK's HttpClient (no Netty: web/ runs Spring Boot's Netty 4.1). */
public final class BlobClients {

  /** The newest service version Azurite 3.37 implements; newer clients would ask for one it does not know. */
  public static final BlobServiceVersion SERVICE_VERSION = BlobServiceVersion.V2026_06_06;

  private BlobClients() {
  }

  /** A client for the account in the connection string (the string holds the key: never log it). */
  public static BlobServiceClient fromConnectionString(String connectionString) {
    return fromConnectionString(connectionString, new HttpPipelinePolicy[0]);
  }

  /** The same with extra pipeline policies (the benchmark's request timer, tests' fault injection). */
  public static BlobServiceClient fromConnectionString(String connectionString, HttpPipelinePolicy... policies) {
    HttpClient http = new JdkHttpClientBuilder().build();
    BlobServiceClientBuilder builder = new BlobServiceClientBuilder().connectionString(connectionString).httpClient(http)
        .serviceVersion(SERVICE_VERSION);
    for (HttpPipelinePolicy policy : policies) {
      builder.addPolicy(policy);
    }
    return builder.buildClient();
  }
}

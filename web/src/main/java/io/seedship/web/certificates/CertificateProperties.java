package io.seedship.web.certificates;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code seedship.certificates.*} and {@code seedship.directory.*}: where the offline-seeding certificate and
 * its keystore secret live, which resource id the server's certificate carries, and which directory to use.
 */
@ConfigurationProperties(prefix = "seedship")
public record CertificateProperties(Certificates certificates, DirectoryKind directory) {

  public record Certificates(Path dir, Path secretsDir, String resourceId) {
  }

  public record DirectoryKind(String kind, URI graphUrl, String graphToken) {

    boolean isGraph() {
      return "graph".equalsIgnoreCase(kind);
    }
  }
}

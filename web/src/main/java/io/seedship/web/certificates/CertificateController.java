package io.seedship.web.certificates;

import io.seedship.workers.certificates.ApplicationNames;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.DirectoryApplication;
import io.seedship.workers.certificates.KeyCredential;
import io.seedship.workers.certificates.OfflineCertificate;
import io.seedship.workers.certificates.Thumbprints;
import io.seedship.workers.certificates.jdbc.JdbcDirectory;
import io.seedship.web.security.ApiAccess;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The manual certificate path over HTTP: download the server's certificate (public part only, .cer) and, for
 * Seedship's local directory, upload it to the application as the portal's "Upload certificate" does.
 */
@RestController
class CertificateController {

  private final CertificateStore certificates;
  private final Directory directory;
  private final CertificateProperties properties;
  private final ApiAccess access;

  CertificateController(CertificateStore certificates, Directory directory, CertificateProperties properties, ApiAccess access) {
    this.certificates = certificates;
    this.directory = directory;
    this.properties = properties;
    this.access = access;
  }

  @GetMapping("/api/certificates/offline-seeding.cer")
  ResponseEntity<byte[]> download() {
    access.requireRead();
    OfflineCertificate certificate = certificates.find(properties.certificates().resourceId()).orElse(null);
    if (certificate == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
          .body("No offline-seeding certificate yet: it is made by a seeding's certificate setup.".getBytes());
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/pkix-cert"))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + certificate.subject().substring(3) + ".cer\"")
        .header("X-Certificate-Thumbprint", certificate.thumbprint())
        .body(certificate.der());
  }

  /** The local directory's stand-in for the portal: adds a certificate (DER or PEM) to the user's application. */
  @PostMapping("/api/directory/application/certificates")
  ResponseEntity<Map<String, String>> upload(@RequestBody byte[] certificateFile) {
    access.requireWrite();
    if (!(directory instanceof JdbcDirectory)) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error",
          "Seedship uses Microsoft Graph: upload the certificate in the portal under Certificates & secrets."));
    }
    X509Certificate certificate;
    try {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificateFile));
    } catch (CertificateException | ClassCastException e) {
      return ResponseEntity.badRequest().body(Map.of("error", "The body is not an X.509 certificate (.cer, DER or PEM)."));
    }
    String name = ApplicationNames.applicationFor(directory.signedInUserId());
    DirectoryApplication application = directory.findApplication(name).orElse(null);
    if (application == null) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "There is no application " + name + " yet."));
    }
    try {
      byte[] der = certificate.getEncoded();
      String thumbprint = Thumbprints.of(der);
      directory.addKeyCredential(application.objectId(), new KeyCredential(java.util.UUID.randomUUID().toString(),
          certificate.getSubjectX500Principal().getName(), thumbprint, der, certificate.getNotBefore().toInstant(),
          certificate.getNotAfter().toInstant()));
      return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("application", name, "thumbprint", thumbprint));
    } catch (CertificateException e) {
      return ResponseEntity.badRequest().body(Map.of("error", "The certificate cannot be encoded: " + e.getMessage()));
    }
  }
}

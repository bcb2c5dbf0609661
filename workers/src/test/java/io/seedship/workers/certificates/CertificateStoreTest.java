package io.seedship.workers.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {

  @TempDir
  Path dir;

  @Test
  void theThumbprintIsTheOneOpensslPrintsForTheExportedCer() throws Exception {
    CertificateStore store = new CertificateStore(dir.resolve("certificates"), dir.resolve("secrets"));
    OfflineCertificate certificate = store.ensure("server-01");

    Process openssl = new ProcessBuilder("openssl", "x509", "-inform", "der", "-in", store.cerFile("server-01").toString(),
        "-noout", "-fingerprint", "-sha1").redirectErrorStream(true).start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String printed = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertThat(printed).startsWithIgnoringCase("sha1 Fingerprint=");
    assertThat(printed.substring(printed.indexOf('=') + 1).replace(":", "")).isEqualTo(certificate.thumbprint());
    assertThat(certificate.thumbprint()).matches("[0-9A-F]{40}");
    assertThat(certificate.subject()).isEqualTo("CN=CB_AzureADCertforOfflineSeeding_server-01");
  }

  @Test
  void theCerHoldsOneCertificateAndNoPrivateKey() throws Exception {
    CertificateStore store = new CertificateStore(dir.resolve("certificates"), dir.resolve("secrets"));
    store.ensure("server-02");
    byte[] cer = Files.readAllBytes(store.cerFile("server-02"));

    Collection<? extends java.security.cert.Certificate> parsed =
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(cer));
    assertThat(parsed).hasSize(1);
    RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) store.privateKey("server-02");
    assertThat(((RSAPublicKey) ((X509Certificate) parsed.iterator().next()).getPublicKey()).getModulus().bitLength()).isGreaterThanOrEqualTo(2048);
    // neither the private exponent nor a prime factor occurs anywhere in the exported file
    assertThat(indexOf(cer, privateKey.getPrivateExponent().toByteArray())).isEqualTo(-1);
    assertThat(indexOf(cer, privateKey.getPrimeP().toByteArray())).isEqualTo(-1);
    assertThat(new String(cer, StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
  }

  @Test
  void theKeystoreAndItsSecretAreOwnerOnlyInSeparateFoldersAndTheSecretOpensIt() throws Exception {
    CertificateStore store = new CertificateStore(dir.resolve("certificates"), dir.resolve("secrets"));
    store.ensure("server-03");
    Path keystore = store.keystoreFile("server-03");
    Path secret = dir.resolve("secrets").resolve("server-03.p12.secret");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    assertThat(Files.list(dir.resolve("certificates")).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
        "server-03.p12", "server-03.cer");
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    assertThatThrownBy(() -> p12.load(Files.newInputStream(keystore), "wrong".toCharArray())).isInstanceOf(java.io.IOException.class);
    p12.load(Files.newInputStream(keystore), Files.readString(secret).trim().toCharArray());
    assertThat(p12.isKeyEntry("offline-seeding")).isTrue();
    assertThatThrownBy(() -> new CertificateStore(dir, dir)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void askingAgainReturnsTheSameCertificate() {
    CertificateStore store = new CertificateStore(dir.resolve("certificates"), dir.resolve("secrets"));
    assertThat(store.ensure("server-04").thumbprint()).isEqualTo(store.ensure("server-04").thumbprint());
    assertThat(new CertificateStore(dir.resolve("certificates"), dir.resolve("secrets")).find("server-04")).isPresent();
  }

  @Test
  void thumbprintsPastedFromWindowsCompareWithoutSpacesCaseOrMarks() {
    assertThat(Thumbprints.normalise("\u200ea1 b2 c3 d4 e5 f6 07 18 29 3a 4b 5c 6d 7e 8f 90 01 12 23 34"))
        .isEqualTo("A1B2C3D4E5F60718293A4B5C6D7E8F9001122334");
    assertThat(Thumbprints.isWellFormed(Thumbprints.normalise("zz"))).isFalse();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

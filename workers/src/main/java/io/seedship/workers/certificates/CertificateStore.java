package io.seedship.workers.certificates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates and keeps the offline-seeding certificates (the role of the Windows machine store in the guide).
 * Per resource id:
 * <ul>
 *   <li>{@code <certificates>/<id>.p12}: PKCS#12 with the RSA-3072 private key and the certificate, mode 0600;</li>
 *   <li>{@code <certificates>/<id>.cer}: the certificate alone, DER, for upload (no private key);</li>
 *   <li>{@code <secrets>/<id>.p12.secret}: the keystore's random password, mode 0600, in another folder so a
 *       copy of the certificates folder alone does not open the keystore.</li>
 * </ul>
 * Idempotent: asking again for a resource returns the certificate already made.
 */
public class CertificateStore {

  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Duration VALIDITY = Duration.ofDays(2 * 365);
  private static final String ALIAS = "offline-seeding";

  private final Path certificates;
  private final Path secrets;
  private final SecureRandom random = new SecureRandom();

  public CertificateStore(Path certificates, Path secrets) {
    if (certificates.toAbsolutePath().normalize().equals(secrets.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("The keystore secrets must not live beside the keystores: give two different folders.");
    }
    this.certificates = certificates;
    this.secrets = secrets;
  }

  public synchronized OfflineCertificate ensure(String resourceId) {
    return find(resourceId).orElseGet(() -> generate(resourceId));
  }

  public Optional<OfflineCertificate> find(String resourceId) {
    Path cer = cerFile(resourceId);
    if (!Files.exists(cer) || !Files.exists(keystoreFile(resourceId))) {
      return Optional.empty();
    }
    try {
      return Optional.of(describe(resourceId, Files.readAllBytes(cer)));
    } catch (IOException | GeneralSecurityException e) {
      throw new CertificateStoreException("The certificate " + cer + " cannot be read (" + e.getMessage()
          + "): delete " + cer + " and " + keystoreFile(resourceId) + " to make a new one.", e);
    }
  }

  /** The certificate alone (DER), as exported "without private key" for upload. */
  public byte[] exportCer(String resourceId) {
    return find(resourceId).map(OfflineCertificate::der).orElseThrow(() -> new CertificateStoreException(
        "There is no offline-seeding certificate for resource " + resourceId + " yet: run the certificate setup first.", null));
  }

  public Path cerFile(String resourceId) {
    return certificates.resolve(checked(resourceId) + ".cer");
  }

  public Path keystoreFile(String resourceId) {
    return certificates.resolve(checked(resourceId) + ".p12");
  }

  /** Opens the private key, e.g. to sign a proof of possession; never logged, never returned as text. */
  public PrivateKey privateKey(String resourceId) {
    try (InputStream in = Files.newInputStream(keystoreFile(resourceId))) {
      char[] password = Files.readString(secretFile(resourceId)).trim().toCharArray();
      KeyStore keystore = KeyStore.getInstance("PKCS12");
      keystore.load(in, password);
      return (PrivateKey) keystore.getKey(ALIAS, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new CertificateStoreException("The keystore of resource " + resourceId + " cannot be opened with its secret ("
          + e.getMessage() + ").", e);
    }
  }

  private OfflineCertificate generate(String resourceId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(3072, random);
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name(OfflineCertificate.subjectFor(resourceId).replaceFirst("^CN=", "CN="));
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, random).abs(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));

      Files.createDirectories(certificates);
      Files.createDirectories(secrets);
      char[] password = newPassword();
      writePrivately(secretFile(resourceId), new String(password).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      KeyStore keystore = KeyStore.getInstance("PKCS12");
      keystore.load(null, null);
      keystore.setKeyEntry(ALIAS, keys.getPrivate(), password, new X509Certificate[] {certificate});
      java.io.ByteArrayOutputStream p12 = new java.io.ByteArrayOutputStream();
      keystore.store(p12, password);
      writePrivately(keystoreFile(resourceId), p12.toByteArray());
      // the .cer goes last: its presence says the keystore and the secret are complete
      writeAtomically(cerFile(resourceId), certificate.getEncoded(), false);
      return describe(resourceId, certificate.getEncoded());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new CertificateStoreException("The offline-seeding certificate for resource " + resourceId
          + " could not be made (" + e.getMessage() + ").", e);
    }
  }

  private OfflineCertificate describe(String resourceId, byte[] der) throws GeneralSecurityException {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    return new OfflineCertificate(resourceId, certificate.getSubjectX500Principal().getName(), Thumbprints.of(der), der,
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  private char[] newPassword() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  private Path secretFile(String resourceId) {
    return secrets.resolve(checked(resourceId) + ".p12.secret");
  }

  private static void writePrivately(Path file, byte[] content) throws IOException {
    writeAtomically(file, content, true);
  }

  private static void writeAtomically(Path file, byte[] content, boolean ownerOnly) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (ownerOnly) {
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    try (OutputStream out = Files.newOutputStream(temporary)) {
      out.write(content);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String checked(String resourceId) {
    if (resourceId == null || !RESOURCE_ID.matcher(resourceId).matches()) {
      throw new IllegalArgumentException("Resource id '" + resourceId + "' must be letters, digits, '.', '_' or '-' (at most 128).");
    }
    return resourceId;
  }
}

package io.seedship.workers.diskprep;

import io.seedship.workers.repository.Scrypt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code SEEDSHIP/volume}: the drive's ids and its volume key wrapped under a key derived from the
 * recovery password (docs/drive-format.md §3). The recovery password itself is never in here.
 */
record VolumeHeader(DriveContext context, KdfParameters kdf, byte[] salt, byte[] nonce, byte[] wrappedKey, Instant createdAt) {

  static final int VOLUME_KEY_LENGTH = 32;
  /** The drive format's version (docs/drive-format.md); 2 = FILE records without a hash, group commit. */
  static final String FORMAT_VERSION = "2";
  private static final String AAD_DOMAIN = "seedship-drive-volume-v1";

  static VolumeHeader create(DriveContext context, RecoveryPassword password, KdfParameters kdf, byte[] volumeKey,
                             SecureRandom random) {
    byte[] salt = new byte[32];
    byte[] nonce = new byte[ChunkAead.NONCE];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] kek = deriveKek(password, salt, kdf);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(context));
      return new VolumeHeader(context, kdf, salt, nonce, cipher.doFinal(volumeKey), Instant.now());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM key wrapping failed", e);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /** The volume key; a wrong password or a changed header fails the GCM tag. */
  byte[] unlock(RecoveryPassword password, Path drive) {
    byte[] kek = deriveKek(password, salt, kdf);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(context));
      byte[] key = cipher.doFinal(wrappedKey);
      if (key.length != VOLUME_KEY_LENGTH) {
        throw new WrongUnlockSecretException("The volume header of drive " + context.driveId() + " at " + drive
            + " holds a key of the wrong length: the header was changed.");
      }
      return key;
    } catch (AEADBadTagException e) {
      throw new WrongUnlockSecretException("The recovery password does not unlock drive " + context.driveId() + " at " + drive
          + ", or its volume header was changed: check the recovery password recorded for this drive.", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM key unwrapping failed", e);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    Base64.Encoder b64 = Base64.getEncoder();
    p.setProperty("format", "seedship-drive");
    p.setProperty("version", FORMAT_VERSION);
    p.setProperty("importJob", context.importJob());
    p.setProperty("driveId", context.driveId());
    p.setProperty("kdf", "scrypt");
    p.setProperty("N", Integer.toString(kdf.n()));
    p.setProperty("r", Integer.toString(kdf.r()));
    p.setProperty("p", Integer.toString(kdf.p()));
    p.setProperty("salt", b64.encodeToString(salt));
    p.setProperty("nonce", b64.encodeToString(nonce));
    p.setProperty("wrappedKey", b64.encodeToString(wrappedKey));
    p.setProperty("createdAt", createdAt.toString());
    StringWriter text = new StringWriter();
    p.store(text, "Seedship drive, format in docs/drive-format.md. The unlock secret is not on this drive.");
    AtomicWrite.write(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  static boolean exists(Path file) {
    return Files.isRegularFile(file);
  }

  static VolumeHeader read(Path file) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
    } catch (NoSuchFileException e) {
      throw new DriveIntegrityException(file.getParent().getParent() + " is not a Seedship drive (no SEEDSHIP/volume): "
          + "check the drive folder.", e);
    } catch (IOException e) {
      throw new DriveIntegrityException("The volume header " + file + " cannot be read (" + e.getMessage() + ").", e);
    }
    if ("seedship-drive".equals(p.getProperty("format")) && "1".equals(p.getProperty("version"))) {
      throw new DriveIntegrityException("The drive with the volume header " + file + " was prepared by an older Seedship "
          + "(drive format 1), which this version does not read: prepare the drive again.");
    }
    try {
      if (!"seedship-drive".equals(p.getProperty("format")) || !FORMAT_VERSION.equals(p.getProperty("version"))
          || !"scrypt".equals(p.getProperty("kdf"))) {
        throw new IllegalArgumentException("unknown format, version or key derivation");
      }
      Base64.Decoder b64 = Base64.getDecoder();
      KdfParameters kdf = new KdfParameters(Integer.parseInt(p.getProperty("N")), Integer.parseInt(p.getProperty("r")),
          Integer.parseInt(p.getProperty("p")));
      byte[] nonce = b64.decode(p.getProperty("nonce"));
      if (nonce.length != ChunkAead.NONCE) {
        throw new IllegalArgumentException("nonce length " + nonce.length);
      }
      return new VolumeHeader(new DriveContext(p.getProperty("importJob"), p.getProperty("driveId")), kdf,
          b64.decode(p.getProperty("salt")), nonce, b64.decode(p.getProperty("wrappedKey")),
          Instant.parse(p.getProperty("createdAt")));
    } catch (RuntimeException e) {
      throw new WrongUnlockSecretException("The volume header " + file + " is damaged or was changed (" + e.getMessage()
          + "): the drive cannot be unlocked; prepare it again.", e);
    }
  }

  private static byte[] deriveKek(RecoveryPassword password, byte[] salt, KdfParameters kdf) {
    byte[] secret = password.secretBytes();
    try {
      return Scrypt.derive(secret, salt, kdf.n(), kdf.r(), kdf.p(), 32);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] aad(DriveContext context) {
    ByteArrayOutputStream aad = new ByteArrayOutputStream();
    aad.writeBytes(AAD_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    context.writeTo(aad);
    return aad.toByteArray();
  }
}

package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;

/** What opens a repository: a passphrase or the content of a key file. Never printed, never logged. */
public final class RepositorySecret {

  private final byte[] bytes;
  private final String description;

  private RepositorySecret(byte[] bytes, String description) {
    this.bytes = bytes;
    this.description = description;
  }

  public static RepositorySecret ofPassphrase(char[] passphrase) {
    if (passphrase.length == 0) {
      throw new IllegalArgumentException("The passphrase is empty: give a non-empty passphrase.");
    }
    String normalized = Normalizer.normalize(new String(passphrase), Normalizer.Form.NFC);
    return new RepositorySecret(normalized.getBytes(StandardCharsets.UTF_8), "a passphrase");
  }

  /** Reads a key file (base64 text of random bytes); surrounding white space is ignored. */
  public static RepositorySecret ofKeyFile(Path keyFile) {
    try {
      String text = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
      if (text.isEmpty()) {
        throw new WrongKeyException("The key file " + keyFile + " is empty: use the key file written for this repository.");
      }
      return new RepositorySecret(text.getBytes(StandardCharsets.US_ASCII), "key file " + keyFile);
    } catch (IOException e) {
      throw new WrongKeyException("The key file " + keyFile + " cannot be read (" + e.getMessage()
          + "): check the path and that this user may read it.", e);
    }
  }

  /**
   * Writes a new key file with 32 random bytes, mode 0600, atomically; fails if one already exists so
   * that an existing repository key is never replaced.
   */
  public static void generateKeyFile(Path keyFile) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Path dir = keyFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, keyFile.getFileName().toString(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.US_ASCII);
      if (Files.exists(keyFile)) {
        throw new FileAlreadyExistsException(keyFile.toString());
      }
      Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
      Arrays.fill(random, (byte) 0);
    }
  }

  byte[] bytes() {
    return bytes;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return "RepositorySecret(" + description + ")";
  }
}

package io.seedship.workers.repository;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import javax.crypto.AEADBadTagException;

/** The {@code keys/} folder: the repository key wrapped under scrypt-derived keys (docs §2). */
final class RepositoryKeyFiles {

  private static final String AAD = "seedship-key-v1:";

  private RepositoryKeyFiles() {
  }

  static void add(RepositoryLayout layout, RepositoryKey key, RepositorySecret secret, KeyDerivation kdf) throws IOException {
    RandomId keyId = RandomId.generate();
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    Aead wrap = new Aead(kdf.derive(secret.bytes(), salt));
    byte[] wrapped = wrap.seal(key.material(), aad(keyId));
    Properties p = new Properties();
    p.setProperty("kdf", "scrypt");
    p.setProperty("N", Integer.toString(kdf.n()));
    p.setProperty("r", Integer.toString(kdf.r()));
    p.setProperty("p", Integer.toString(kdf.p()));
    p.setProperty("salt", Base64.getEncoder().encodeToString(salt));
    p.setProperty("wrapped", Base64.getEncoder().encodeToString(wrapped));
    StringWriter text = new StringWriter();
    p.store(text, "Seedship repository key, wrapped; useless without the passphrase or key file");
    AtomicFiles.write(layout.keys().resolve(keyId.hex()), text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  static RepositoryKey open(RepositoryLayout layout, RepositorySecret secret) {
    List<Path> files = keyFiles(layout);
    if (files.isEmpty()) {
      throw new NotARepositoryException("The repository " + layout.root() + " has no key files in keys/: "
          + "it is damaged or was not created by Seedship.");
    }
    for (Path file : files) {
      try {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        if (!"scrypt".equals(p.getProperty("kdf"))) {
          continue;
        }
        KeyDerivation kdf = new KeyDerivation(Integer.parseInt(p.getProperty("N")),
            Integer.parseInt(p.getProperty("r")), Integer.parseInt(p.getProperty("p")));
        byte[] salt = Base64.getDecoder().decode(p.getProperty("salt"));
        byte[] wrapped = Base64.getDecoder().decode(p.getProperty("wrapped"));
        Aead unwrap = new Aead(kdf.derive(secret.bytes(), salt));
        return RepositoryKey.of(unwrap.open(wrapped, aad(RandomId.parse(file.getFileName().toString()))));
      } catch (AEADBadTagException wrongSecret) {
        // Try the next key file: a repository may hold several keys.
      } catch (IOException | IllegalArgumentException | NullPointerException e) {
        throw new NotARepositoryException("The key file " + file + " is damaged (" + e.getMessage()
            + "): restore it from a copy of the repository.", e);
      }
    }
    throw new WrongKeyException("Wrong key: " + secret.description() + " opens none of the " + files.size()
        + " key(s) of repository " + layout.root() + ". Use the passphrase or key file this repository was created with.");
  }

  private static List<Path> keyFiles(RepositoryLayout layout) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(layout.keys())) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(layout.keys())) {
      for (Path file : stream) {
        if (RandomId.isValid(file.getFileName().toString())) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new NotARepositoryException("The keys folder of " + layout.root() + " cannot be read: " + e.getMessage(), e);
    }
    files.sort(null);
    return files;
  }

  private static byte[] aad(RandomId keyId) {
    return (AAD + keyId.hex()).getBytes(StandardCharsets.US_ASCII);
  }
}

package io.seedship.workers.repository;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/** The plaintext {@code config} file: format version, repository id and chunker bounds. */
record RepositoryConfig(int version, RandomId id, int minChunk, int avgChunk, int maxChunk) {

  /** 2: chunk id = HMAC of the chunk's SHA-256, file hash = SHA-256 of the chunks' SHA-256s (docs §3, §6). */
  static final int VERSION = 2;

  static RepositoryConfig createDefault() {
    return new RepositoryConfig(VERSION, RandomId.generate(), 512 * 1024, 1024 * 1024, 8 * 1024 * 1024);
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("format", "seedship-repository");
    p.setProperty("version", Integer.toString(version));
    p.setProperty("id", id.hex());
    p.setProperty("chunker", "fastcdc");
    p.setProperty("chunker.min", Integer.toString(minChunk));
    p.setProperty("chunker.avg", Integer.toString(avgChunk));
    p.setProperty("chunker.max", Integer.toString(maxChunk));
    StringWriter text = new StringWriter();
    p.store(text, "Seedship repository, format described in docs/repository-format.md");
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  static RepositoryConfig read(Path root, Path file) {
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
      if (!"seedship-repository".equals(p.getProperty("format"))) {
        throw new NotARepositoryException(root + " has a config file that is not a Seedship repository's: "
            + "point to the folder that a Seedship backup created.");
      }
      int version = Integer.parseInt(p.getProperty("version"));
      if (version != VERSION) {
        throw new NotARepositoryException("The repository " + root + " has format version " + version
            + ", this Seedship reads version " + VERSION + ": use a matching Seedship release.");
      }
      int min = Integer.parseInt(p.getProperty("chunker.min"));
      int avg = Integer.parseInt(p.getProperty("chunker.avg"));
      int max = Integer.parseInt(p.getProperty("chunker.max"));
      if (min < 1024 || avg <= min || max <= avg || max > 64 * 1024 * 1024 || Integer.bitCount(avg) != 1) {
        throw new NotARepositoryException("The repository " + root + " has invalid chunker bounds: its config file is damaged.");
      }
      return new RepositoryConfig(version, RandomId.parse(p.getProperty("id")), min, avg, max);
    } catch (NoSuchFileException e) {
      throw new NotARepositoryException(root + " is not a Seedship repository (no config file): "
          + "check the path, or run a backup to create one.", e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof RepositoryException re) {
        throw re;
      }
      throw new NotARepositoryException("The config file of repository " + root + " cannot be read ("
          + e.getMessage() + "): the repository is damaged.", e);
    }
  }
}

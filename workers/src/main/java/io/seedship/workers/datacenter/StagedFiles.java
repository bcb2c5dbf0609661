package io.seedship.workers.datacenter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of a staged repository that travel as blobs: all but the lock and leftover temporary files. */
public final class StagedFiles {

  private StagedFiles() {
  }

  /** Relative paths with '/' separators (= blob names), sorted. */
  public static List<String> of(Path repository) {
    try (Stream<Path> walk = Files.walk(repository)) {
      return walk.filter(Files::isRegularFile).map(f -> repository.relativize(f).toString().replace('\\', '/'))
          .filter(name -> !name.equals("lock") && !name.contains(".tmp-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("The staged repository " + repository + " cannot be listed (" + e.getMessage()
          + "): check the staging location.", e);
    }
  }
}

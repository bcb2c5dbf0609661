package io.seedship.workers.diskprep;

import io.seedship.workers.repository.Repository;
import io.seedship.workers.staging.StagingLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A seeding's finished repository in a staging location: what disk preparation copies, file by file,
 * unchanged (the packs are already compressed and encrypted). Read by path only, so the copy computer
 * may be another machine that mounts the staging location.
 */
public record StagedRepository(String seedingId, Path root) {

  private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9a-f]{32}");
  private static final String PREFIX = "seedship-";

  /** The seeding's repository; refuses a location without a finished one. */
  public static StagedRepository locate(Path stagingLocation, String seedingId) {
    if (!Files.isDirectory(stagingLocation)) {
      throw new NotStagedException("The staging location " + stagingLocation + " does not exist or is not a folder: "
          + "check the path (on a copy computer, mount the staging location first).");
    }
    Path root = StagingLayout.repositoryFor(stagingLocation, seedingId);
    if (!Repository.exists(root)) {
      throw new NotStagedException("The staging location " + stagingLocation + " holds no Seedship repository for seeding "
          + seedingId + " (expected " + root + "): check the staging location, or run the staging backup first.");
    }
    if (!hasSnapshot(root)) {
      throw new NotStagedException("The staging repository " + root + " has no finished snapshot: the staging backup did not "
          + "finish; let it finish before preparing drives.");
    }
    return new StagedRepository(seedingId, root);
  }

  /** Every seeding with a finished repository in the staging location, by seeding id. */
  public static List<StagedRepository> findAll(Path stagingLocation) {
    if (!Files.isDirectory(stagingLocation)) {
      throw new NotStagedException("The staging location " + stagingLocation + " does not exist or is not a folder: check the path.");
    }
    List<StagedRepository> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(stagingLocation, PREFIX + "*")) {
      for (Path entry : entries) {
        String seedingId = entry.getFileName().toString().substring(PREFIX.length());
        if (Repository.exists(entry) && hasSnapshot(entry) && !seedingId.isEmpty()) {
          found.add(new StagedRepository(seedingId, entry));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("The staging location " + stagingLocation + " cannot be listed: " + e.getMessage(), e);
    }
    found.sort(Comparator.comparing(StagedRepository::seedingId));
    return found;
  }

  /** Every regular file but the lock and crash leftovers, sorted by relative path. */
  StagingPlan plan() {
    List<String> paths = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).map(f -> relative(f)).filter(StagedRepository::isCopied).forEach(paths::add);
    } catch (IOException e) {
      throw new UncheckedIOException("The staging repository " + root + " cannot be read: " + e.getMessage(), e);
    }
    paths.sort(null);
    List<PlannedFile> planned = new ArrayList<>(paths.size());
    for (String path : paths) {
      planned.add(new PlannedFile(planned.size(), path, sizeOf(path)));
    }
    return new StagingPlan(planned);
  }

  Path fileOf(PlannedFile file) {
    return fileAt(file.path());
  }

  /** The staged file at a plan path ('/'-separated, relative to the repository). */
  Path fileAt(String path) {
    return root.resolve(path);
  }

  private long sizeOf(String path) {
    try {
      return Files.size(root.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException("The staged file " + root.resolve(path) + " cannot be read: " + e.getMessage(), e);
    }
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static boolean isCopied(String path) {
    return !path.equals("lock") && !path.contains(".tmp-") && path.chars().noneMatch(c -> c == '\t' || c == '\n');
  }

  private static boolean hasSnapshot(Path root) {
    Path snapshots = root.resolve("snapshots");
    if (!Files.isDirectory(snapshots)) {
      return false;
    }
    try (Stream<Path> files = Files.list(snapshots)) {
      return files.anyMatch(f -> SNAPSHOT_NAME.matcher(f.getFileName().toString()).matches());
    } catch (IOException e) {
      return false;
    }
  }
}

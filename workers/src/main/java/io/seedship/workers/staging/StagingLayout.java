package io.seedship.workers.staging;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Names shared by staging and the later steps (disk prep reads the same repository): the repository of a
 * seeding lives in {@code <stagingLocation>/seedship-<seedingId>}, its key file in
 * {@code <keyDirectory>/<seedingId>.key}.
 */
public final class StagingLayout {

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private StagingLayout() {
  }

  public static Path repositoryFor(Path stagingLocation, String seedingId) {
    return stagingLocation.resolve("seedship-" + checked(seedingId));
  }

  public static Path keyFileFor(Path keyDirectory, String seedingId) {
    return keyDirectory.resolve(checked(seedingId) + ".key");
  }

  public static String tagFor(String seedingId) {
    return "seeding=" + checked(seedingId);
  }

  static String checked(String seedingId) {
    if (seedingId == null || !SAFE_ID.matcher(seedingId).matches()) {
      throw new IllegalArgumentException("The seeding id '" + seedingId
          + "' is not usable as a folder name (letters, digits, '.', '_', '-'; at most 128).");
    }
    return seedingId;
  }
}

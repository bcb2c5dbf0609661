package io.seedship.workers.diskprep;

import java.nio.file.Path;
import java.util.Locale;

/** Where each file lives on a drive (docs/drive-format.md §2). */
record DriveLayout(Path drive) {

  static final String DECLARATION = "seedship-drive.properties";
  static final String ROOT = "SEEDSHIP";

  Path root() {
    return drive.resolve(ROOT);
  }

  Path volume() {
    return root().resolve("volume");
  }

  Path journal() {
    return root().resolve("journal");
  }

  Path manifest() {
    return root().resolve("manifest");
  }

  Path data() {
    return root().resolve("data");
  }

  Path dataFile(int index) {
    return data().resolve(String.format(Locale.ROOT, "%04d", index / 1000)).resolve(storedName(index));
  }

  static String storedName(int index) {
    return String.format(Locale.ROOT, "%08d", index);
  }
}

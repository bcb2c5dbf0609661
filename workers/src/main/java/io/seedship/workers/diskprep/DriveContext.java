package io.seedship.workers.diskprep;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The import job and drive a piece of encrypted data belongs to; both go into every AAD. */
record DriveContext(String importJob, String driveId) {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  DriveContext {
    checkName(importJob, "import job name");
    checkName(driveId, "drive id");
  }

  static String checkName(String name, String what) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("The " + what + " '" + name
          + "' is not usable (letters, digits, '.', '_', '-'; at most 128, starting with a letter or digit).");
    }
    return name;
  }

  /** job and drive id, each as 2-byte length + UTF-8. */
  void writeTo(ByteArrayOutputStream out) {
    for (String part : new String[] {importJob, driveId}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
  }
}

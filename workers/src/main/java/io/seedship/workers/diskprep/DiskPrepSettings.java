package io.seedship.workers.diskprep;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Worker-side configuration of disk preparation. {@code keyDirectory} is the key store (the same folder as
 * the staging worker's, disk prep uses its {@code diskprep/} sub-folder); {@code lockDuration} is the
 * external task's lock, renewed while drives are written; {@code retries}/{@code retryTimeout} apply to
 * failures a retry can fix.
 */
public record DiskPrepSettings(Path keyDirectory, KdfParameters kdf, Duration lockDuration, int retries, Duration retryTimeout) {

  public static DiskPrepSettings defaults(Path keyDirectory) {
    return new DiskPrepSettings(keyDirectory, KdfParameters.DEFAULT, Duration.ofMinutes(5), 3, Duration.ofMinutes(2));
  }
}

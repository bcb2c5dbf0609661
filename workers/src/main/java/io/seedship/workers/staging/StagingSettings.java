package io.seedship.workers.staging;

import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.KeyDerivation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Worker-side configuration of staging. {@code keyDirectory} holds one key file per seeding (mode 0600);
 * only its name travels through the process. {@code lockDuration} is the external task's lock, renewed
 * while the backup runs; {@code retries}/{@code retryTimeout} apply to failures a retry can fix.
 */
public record StagingSettings(Path keyDirectory, Duration lockDuration, int retries, Duration retryTimeout,
                              BackupOptions backupOptions, KeyDerivation keyDerivation) {

  public static StagingSettings defaults(Path keyDirectory) {
    return new StagingSettings(keyDirectory, Duration.ofMinutes(5), 3, Duration.ofMinutes(2), BackupOptions.defaults(),
        KeyDerivation.DEFAULT);
  }
}

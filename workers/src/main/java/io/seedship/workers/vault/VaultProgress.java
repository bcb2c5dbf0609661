package io.seedship.workers.vault;

import java.time.Duration;

/**
 * Where a vault operation is: its phase, bytes and items (blobs, files) done of the known totals, time so far.
 * Never holds secrets.
 */
public record VaultProgress(Phase phase, long bytesDone, long bytesTotal, long itemsDone, long itemsTotal, Duration elapsed) {

  /** The steps of the operations (docs/vault.md §4). */
  public enum Phase { SYNCING, COPYING, VERIFYING, BACKING_UP, UPLOADING, RECORDING, RESTORING, DONE }

  public double bytesPerSecond() {
    return bytesDone / Math.max(0.001, elapsed.toMillis() / 1000.0);
  }
}

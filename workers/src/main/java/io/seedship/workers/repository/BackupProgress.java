package io.seedship.workers.repository;

import java.time.Duration;

/** A progress report: files and bytes done of the totals found by the scan, throughput, packs written. */
public record BackupProgress(Phase phase, long filesDone, long filesTotal, long bytesDone, long bytesTotal,
                             long bytesStored, int packsWritten, Duration elapsed) {

  /** Where the backup is. */
  public enum Phase { SCANNING, BACKING_UP, FINISHING, DONE }

  public double bytesPerSecond() {
    double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
    return bytesDone / seconds;
  }

  public double fraction() {
    return bytesTotal == 0 ? (phase == Phase.DONE ? 1 : 0) : Math.min(1.0, (double) bytesDone / bytesTotal);
  }
}

package io.seedship.workers.repository;

import java.time.Duration;
import java.util.List;

/**
 * How a backup runs. {@code packTargetSize} bounds pack files (docs §4); {@code workers} compress and
 * encrypt in parallel while one thread reads, chunks and hashes.
 */
public record BackupOptions(int compressionLevel, int workers, long packTargetSize, Duration progressInterval,
                            List<String> tags, boolean useParent, long maxInFlightBytes) {

  public static BackupOptions defaults() {
    return new BackupOptions(3, Math.max(1, Runtime.getRuntime().availableProcessors()), 64L << 20,
        Duration.ofSeconds(1), List.of(), true, 64L << 20);
  }

  public BackupOptions withTags(List<String> newTags) {
    return new BackupOptions(compressionLevel, workers, packTargetSize, progressInterval, List.copyOf(newTags), useParent, maxInFlightBytes);
  }

  public BackupOptions withPackTargetSize(long size) {
    return new BackupOptions(compressionLevel, workers, size, progressInterval, tags, useParent, maxInFlightBytes);
  }

  public BackupOptions withCompressionLevel(int level) {
    return new BackupOptions(level, workers, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes);
  }

  public BackupOptions withProgressInterval(Duration interval) {
    return new BackupOptions(compressionLevel, workers, packTargetSize, interval, tags, useParent, maxInFlightBytes);
  }

  public BackupOptions withWorkers(int count) {
    return new BackupOptions(compressionLevel, count, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes);
  }

  public BackupOptions withParent(boolean use) {
    return new BackupOptions(compressionLevel, workers, packTargetSize, progressInterval, tags, use, maxInFlightBytes);
  }
}

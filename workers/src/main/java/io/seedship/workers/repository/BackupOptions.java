package io.seedship.workers.repository;

import java.time.Duration;
import java.util.List;

/**
 * How a backup runs. {@code packTargetSize} bounds pack files (docs §4); {@code readers} threads read,
 * chunk and hash files (a file at a time each) while {@code workers} threads compress and encrypt.
 */
public record BackupOptions(int compressionLevel, int workers, int readers, long packTargetSize, Duration progressInterval,
                            List<String> tags, boolean useParent, long maxInFlightBytes, boolean deltas,
                            boolean keepSignatures) {

  public static BackupOptions defaults() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    return new BackupOptions(3, cores, cores, 64L << 20,
        Duration.ofSeconds(1), List.of(), true, 64L << 20, true, false);
  }

  public BackupOptions withTags(List<String> newTags) {
    return new BackupOptions(compressionLevel, workers, readers, packTargetSize, progressInterval, List.copyOf(newTags), useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  public BackupOptions withPackTargetSize(long size) {
    return new BackupOptions(compressionLevel, workers, readers, size, progressInterval, tags, useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  public BackupOptions withCompressionLevel(int level) {
    return new BackupOptions(level, workers, readers, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  public BackupOptions withProgressInterval(Duration interval) {
    return new BackupOptions(compressionLevel, workers, readers, packTargetSize, interval, tags, useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  public BackupOptions withWorkers(int count) {
    return new BackupOptions(compressionLevel, count, readers, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  public BackupOptions withReaders(int count) {
    return new BackupOptions(compressionLevel, workers, count, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes, deltas, keepSignatures);
  }

  /**
   * Whether a new chunk of a file changed in place since the parent snapshot may be stored as a delta
   * against the parent's chunks at the same offsets (docs §3). Costs reading those chunks back (from the
   * vault: downloading them); saves storing and uploading the unchanged bytes of the chunk again.
   */
  public BackupOptions withDeltas(boolean use) {
    return new BackupOptions(compressionLevel, workers, readers, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes, use, keepSignatures);
  }

  /**
   * Whether the backup keeps block signatures of the data chunks it stores in the repository's {@code signatures/}
   * folder (docs §9), so later backups find deltas against them without reading them back. Costs one keyed hash pass
   * over the stored data; the vault's backups keep them, because there reading back means downloading.
   */
  public BackupOptions withSignatures(boolean keep) {
    return new BackupOptions(compressionLevel, workers, readers, packTargetSize, progressInterval, tags, useParent, maxInFlightBytes, deltas,
        keep);
  }

  public BackupOptions withParent(boolean use) {
    return new BackupOptions(compressionLevel, workers, readers, packTargetSize, progressInterval, tags, use, maxInFlightBytes, deltas, keepSignatures);
  }
}

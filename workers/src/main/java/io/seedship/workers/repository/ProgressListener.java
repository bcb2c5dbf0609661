package io.seedship.workers.repository;

/** Receives progress at least every {@link BackupOptions#progressInterval()}, from a reporter thread. */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = progress -> { };

  void progress(BackupProgress progress);
}

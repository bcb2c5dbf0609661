package io.seedship.workers.repository;

import java.time.Duration;

/** What a restore wrote. */
public record RestoreResult(long files, long directories, long symlinks, long bytes, Duration duration) {
}

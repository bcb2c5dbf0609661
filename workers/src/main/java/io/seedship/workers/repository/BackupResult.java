package io.seedship.workers.repository;

import java.time.Duration;
import java.util.List;

/**
 * What a backup did. {@code bytesAdded} is what this run wrote into new packs; {@code recoveredPacks}
 * counts packs of an interrupted run that were reused instead of written again.
 */
public record BackupResult(Snapshot snapshot, long bytesRead, long bytesAdded, long chunksAdded, int packsWritten,
                           int recoveredPacks, List<String> warnings, Duration duration) {
}

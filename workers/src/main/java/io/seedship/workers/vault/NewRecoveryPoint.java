package io.seedship.workers.vault;

import java.time.Instant;

/** What is known of a snapshot when it is recorded; the catalogue gives it its number and recording time. */
public record NewRecoveryPoint(String snapshotId, String parentSnapshotId, RecoveryPointKind kind, String requestId,
                               Instant takenAt, long files, long bytes, Long changedBytes, Long bytesUploaded) {
}

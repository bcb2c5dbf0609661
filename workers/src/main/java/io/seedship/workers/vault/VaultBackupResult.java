package io.seedship.workers.vault;

import java.time.Duration;
import java.util.List;

/**
 * What a backup to the vault did. {@code alreadyDone}: the request had been carried out before (a redelivered task)
 * and this run only answered it. {@code changedBytes}: bytes of the files the backup read (new or changed);
 * {@code bytesUploaded}: size of the blobs the recovery point added to the vault; {@code bytesSent}: what this run
 * staged over the network (less when an earlier attempt had staged blocks already).
 */
public record VaultBackupResult(RecoveryPoint recoveryPoint, boolean alreadyDone, long changedBytes, long bytesUploaded,
                                long bytesSent, int packsUploaded, List<String> warnings, Duration duration) {
}

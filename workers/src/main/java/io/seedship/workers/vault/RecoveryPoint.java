package io.seedship.workers.vault;

import java.time.Instant;

/**
 * A snapshot of a protection recorded in the catalogue, numbered from 1 per protection. {@code changedBytes}
 * (bytes of new or changed files read by the backup) and {@code bytesUploaded} (size of the blobs it added to the
 * vault) are null when unknown (a snapshot recorded after its worker lost its cache).
 */
public record RecoveryPoint(String protectionId, int number, String snapshotId, String parentSnapshotId,
                            RecoveryPointKind kind, String requestId, Instant takenAt, Instant recordedAt, long files,
                            long bytes, Long changedBytes, Long bytesUploaded) {

  /** The id the process and the command line use: {@code rp-<number>}. */
  public String id() {
    return "rp-" + number;
  }
}

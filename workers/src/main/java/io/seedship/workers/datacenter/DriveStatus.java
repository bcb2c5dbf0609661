package io.seedship.workers.datacenter;

/** A drive as the job's status shows it; log locations are blob names in the job's container (local datacenter) or the service's log URIs (Azure), null before. */
public record DriveStatus(String driveId, DriveState state, int percentComplete, long bytesSucceeded, String errorLogBlob,
                          String verboseLogBlob, String message) {
}

package io.seedship.workers.datacenter;

/** A drive of a job as the datacenter keeps it. */
public record DatacenterDrive(String driveId, int sequence, String unlockSecretRef, String manifestSha256, DriveState state,
                              int percentComplete, long bytesSucceeded, String errorLogBlob, String verboseLogBlob,
                              String message) {

  static DatacenterDrive specified(DriveSpec spec, int sequence) {
    return new DatacenterDrive(spec.driveId(), sequence, spec.unlockSecretRef(), spec.manifestSha256(), DriveState.Specified, 0,
        0, null, null, null);
  }

  DatacenterDrive in(DriveState newState, String newMessage) {
    return new DatacenterDrive(driveId, sequence, unlockSecretRef, manifestSha256, newState, percentComplete, bytesSucceeded,
        errorLogBlob, verboseLogBlob, newMessage);
  }

  DatacenterDrive progress(int percent, long bytes) {
    return new DatacenterDrive(driveId, sequence, unlockSecretRef, manifestSha256, state, percent, bytes, errorLogBlob,
        verboseLogBlob, message);
  }

  DatacenterDrive logs(String errorLog, String verboseLog) {
    return new DatacenterDrive(driveId, sequence, unlockSecretRef, manifestSha256, state, percentComplete, bytesSucceeded,
        errorLog, verboseLog, message);
  }

  DriveStatus status() {
    return new DriveStatus(driveId, state, percentComplete, bytesSucceeded, errorLogBlob, verboseLogBlob, message);
  }
}

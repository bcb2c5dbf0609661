package io.seedship.workers.datacenter;

/** Drive states as the Import/Export service spells them, with the failures this datacenter names. */
public enum DriveState {
  Specified, Received, NeverReceived, Transferring, Completed, CompletedMoreInfo, ManifestError, KeyInvalid, DiskCorrupted;

  /** The drive's data did not (all) arrive in the container. */
  public boolean failedOrPartial() {
    return this != Completed && this != Specified && this != Received && this != Transferring;
  }
}

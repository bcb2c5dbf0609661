package io.seedship.workers.diskprep;

import java.nio.file.Path;

/** A sealed drive of an import job: what the import needs, the unlock secret by reference only. */
public record PreparedDrive(String driveId, int sequence, String mount, int files, long bytes, String manifestSha256,
                            Path unlockSecretFile) {

  static PreparedDrive of(DriveRecord record, DiskPrepKeyStore keyStore) {
    return new PreparedDrive(record.driveId(), record.sequence(), record.mount(), record.files(), record.bytes(),
        record.manifestSha256(), keyStore.jobFolder(record.importJob()).resolve(record.unlockSecretRef()));
  }
}

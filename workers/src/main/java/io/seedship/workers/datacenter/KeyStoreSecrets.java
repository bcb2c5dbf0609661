package io.seedship.workers.datacenter;

import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DriveRecord;
import io.seedship.workers.diskprep.RecoveryPassword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The default run's and the tests' secrets and drives: the disk-prep key store on this machine. The reference is
 * the drive record's {@code unlockSecretRef}, a file name inside the job's key-store folder.
 */
public final class KeyStoreSecrets implements UnlockSecrets, DriveDock {

  private final DiskPrepKeyStore keyStore;

  public KeyStoreSecrets(DiskPrepKeyStore keyStore) {
    this.keyStore = keyStore;
  }

  @Override
  public RecoveryPassword resolve(String importJob, String driveId, String reference) {
    Path folder = keyStore.jobFolder(importJob).toAbsolutePath().normalize();
    Path file = folder.resolve(reference).normalize();
    if (!file.getParent().equals(folder)) {
      throw new UnlockSecretUnavailableException("The unlock secret reference of drive " + driveId + " points outside the "
          + "key-store folder of job " + importJob + ": give the file name of its recovery password.");
    }
    try {
      return RecoveryPassword.parse(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      throw new UnlockSecretUnavailableException("The unlock secret of drive " + driveId + " (reference " + reference
          + ") cannot be read from the key store: restore the key store of job " + importJob + ".", e);
    }
  }

  @Override
  public Optional<Path> folderOf(String importJob, String driveId) {
    return keyStore.drives(importJob).stream().filter(r -> r.driveId().equals(driveId)).map(DriveRecord::mount)
        .map(Path::of).filter(Files::isDirectory).findFirst();
  }
}

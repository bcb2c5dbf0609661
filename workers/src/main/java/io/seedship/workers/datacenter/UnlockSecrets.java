package io.seedship.workers.datacenter;

import io.seedship.workers.diskprep.RecoveryPassword;

/** Resolves a drive's unlock-secret reference to the secret, at the moment the drive is unlocked. */
public interface UnlockSecrets {

  /** @throws UnlockSecretUnavailableException when the reference does not resolve */
  RecoveryPassword resolve(String importJob, String driveId, String reference);
}

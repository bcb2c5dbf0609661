package io.seedship.workers.datacenter;

/** One drive of a job as the customer declares it; {@code unlockSecretRef} refers to the secret, never holds it. */
public record DriveSpec(String driveId, String unlockSecretRef, String manifestSha256) {

  public DriveSpec {
    require(driveId, "drive id");
    require(unlockSecretRef, "unlock secret reference");
    require(manifestSha256, "manifest hash");
  }

  static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ImportJobRefusedException("The " + what + " is missing: give it and try again.");
    }
  }
}

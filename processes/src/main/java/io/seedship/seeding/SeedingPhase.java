package io.seedship.seeding;

/** The phases of the lifecycle as managers see them, with the status text shown while in each. */
public enum SeedingPhase {
  REQUEST("Checking the seeding request"),
  CERTIFICATES("Setting up the offline-backup application and certificate"),
  STAGING("Writing the compressed full backup to the staging location"),
  DISK_PREPARATION("Encrypting the staged backup onto drives on the copy computer"),
  SHIPPING("Import job and shipping: the import job is created, then the shipping details are due"),
  IN_TRANSIT("Drives shipped: waiting for the datacenter to receive them"),
  IMPORTING("Waiting for Azure Import Job to complete. Please check on Azure Management portal for more information on job status"),
  VAULT_COPY("Import complete: the seed is copied into the vault at the next scheduled backup"),
  NETWORK_SEEDING("Sending the first full backup over the network"),
  INCREMENTAL("Protected: incremental backups run on schedule"),
  CANCELLING("Cancelling: cleaning up"),
  CANCELLED("Cancelled"),
  STOPPED("Protection stopped");

  private final String statusText;

  SeedingPhase(String statusText) {
    this.statusText = statusText;
  }

  public String statusText() {
    return statusText;
  }
}

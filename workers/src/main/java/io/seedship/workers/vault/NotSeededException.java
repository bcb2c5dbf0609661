package io.seedship.workers.vault;

/** The protection has no seed in the vault yet (or its seed copy has not finished); an incremental backup needs one. */
public class NotSeededException extends VaultException {

  public NotSeededException(String message) {
    super(message);
  }
}

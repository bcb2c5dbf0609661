package io.seedship.workers.vault;

/** Another vault operation of the same protection holds its lock on this worker; retry later. */
public class ProtectionBusyException extends VaultException {

  public ProtectionBusyException(String message) {
    super(message);
  }
}

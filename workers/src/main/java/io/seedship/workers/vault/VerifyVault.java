package io.seedship.workers.vault;

import io.seedship.workers.repository.Verify;
import io.seedship.workers.repository.VerifyReport;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks a protection's repository in the vault (docs/vault.md §4): structure (index files, every indexed pack present
 * with its length and a header that matches), snapshots and their chunks, and with read-data every chunk of every
 * pack decrypted and re-hashed, read from the vault in spans. Only the vault's own files count; pending files of
 * the cache are left out.
 */
public final class VerifyVault {

  private final Vault vault;

  public VerifyVault(Vault vault) {
    this.vault = vault;
  }

  public VerifyReport verify(String protectionId, boolean readData, VaultListener listener) {
    Instant started = Instant.now();
    String id = Vault.checked(protectionId);
    listener.progress(new VaultProgress(VaultProgress.Phase.SYNCING, 0, 0, 0, 0, Duration.ZERO));
    try (VaultReader reader = VaultReader.open(vault, id)) {
      listener.progress(new VaultProgress(VaultProgress.Phase.VERIFYING, 0, 0, 0, 0, Duration.between(started, Instant.now())));
      VerifyReport report = new Verify(reader.repository(), vault.settings().threads()).run(readData);
      listener.progress(new VaultProgress(VaultProgress.Phase.DONE, 0, 0, report.packsChecked(), report.packsChecked(),
          Duration.between(started, Instant.now())));
      return report;
    }
  }
}

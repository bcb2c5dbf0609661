package io.seedship.workers.vault.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.vault.CopySeedIntoVault;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultListener;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * Topic {@code vault-seed-copy}: copies the imported seed ({@code storageAccount}, {@code container}) of seeding
 * {@code seedingId} into the vault, verifies it and completes with {@code recoveryPointId} ({@code rp-1}). A seed that
 * does not verify names its damaged packs in an incident (repair the import, then retry). Redelivery answers rp-1.
 */
public final class VaultSeedCopyHandler extends VaultTaskHandler {

  private final CopySeedIntoVault copy;

  public VaultSeedCopyHandler(Vault vault, Executor executor) {
    super(vault.settings(), executor);
    this.copy = new CopySeedIntoVault(vault);
  }

  @Override
  String[] requiredVariables() {
    return new String[] {SeedingProcess.Variables.SEEDING_ID, SeedingProcess.Variables.STORAGE_ACCOUNT, SeedingProcess.Variables.CONTAINER};
  }

  @Override
  Map<String, Object> perform(ExternalTask task, VaultListener listener) {
    CopySeedIntoVault.Result result = copy.copy(new CopySeedIntoVault.Request(task.getVariable(SeedingProcess.Variables.SEEDING_ID),
        task.getVariable(SeedingProcess.Variables.STORAGE_ACCOUNT), task.getVariable(SeedingProcess.Variables.CONTAINER)), listener);
    return Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, result.recoveryPoint().id());
  }
}

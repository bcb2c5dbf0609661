package io.seedship.workers.vault.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.vault.BackUpToVault;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultBackupResult;
import io.seedship.workers.vault.VaultListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.task.ExternalTask;

/**
 * Topics {@code network-seed} and {@code incremental-backup}: backs {@code protectedSource} of seeding {@code seedingId}
 * up to the vault (the first backup over the network, or an incremental one) and completes with
 * {@code recoveryPointId} and, for incrementals, {@code lastBackupAt} (ISO-8601). The external task's id is the
 * request id, so a redelivered task answers its recovery point instead of backing up again.
 */
public final class VaultBackupHandler extends VaultTaskHandler {

  private final BackUpToVault backUp;
  private final boolean networkSeed;

  private VaultBackupHandler(Vault vault, Executor executor, boolean networkSeed) {
    super(vault.settings(), executor);
    this.backUp = new BackUpToVault(vault);
    this.networkSeed = networkSeed;
  }

  /** Topic {@code network-seed}. */
  public static VaultBackupHandler networkSeed(Vault vault, Executor executor) {
    return new VaultBackupHandler(vault, executor, true);
  }

  /** Topic {@code incremental-backup}. */
  public static VaultBackupHandler incremental(Vault vault, Executor executor) {
    return new VaultBackupHandler(vault, executor, false);
  }

  @Override
  String[] requiredVariables() {
    return new String[] {SeedingProcess.Variables.SEEDING_ID, SeedingProcess.Variables.PROTECTED_SOURCE};
  }

  @Override
  Map<String, Object> perform(ExternalTask task, VaultListener listener) {
    VaultBackupResult result = backUp.run(new BackUpToVault.Request(task.getVariable(SeedingProcess.Variables.SEEDING_ID),
        Path.of((String) task.getVariable(SeedingProcess.Variables.PROTECTED_SOURCE)), task.getId(), networkSeed), listener);
    if (networkSeed) {
      return Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, result.recoveryPoint().id());
    }
    return Map.of(SeedingProcess.Variables.RECOVERY_POINT_ID, result.recoveryPoint().id(),
        SeedingProcess.Variables.LAST_BACKUP_AT, result.recoveryPoint().takenAt().toString());
  }
}

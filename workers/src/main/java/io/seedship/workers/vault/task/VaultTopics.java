package io.seedship.workers.vault.task;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.vault.JdbcVaultCatalogue;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultSettings;
import java.util.List;
import java.util.concurrent.Executor;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.topic.TopicSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes a worker to the vault's topics: {@code vault-seed-copy}, {@code network-seed}, {@code incremental-backup}, and
 * on request {@code seed-cleanup}.
 */
public final class VaultTopics {

  /** Written by the vault's workers while they work: phase, blobs or files and bytes done, throughput. */
  public static final String PROGRESS_VARIABLE = SeedingProcess.Variables.VAULT_PROGRESS;

  private static final Logger LOG = LoggerFactory.getLogger(VaultTopics.class);

  private VaultTopics() {
  }

  /**
   * Opens the vault of {@code settings} (catalogue on its data source) and subscribes its topics on {@code client}; the
   * work runs on {@code executor}. Returns the vault: close it when the worker stops.
   */
  public static Vault subscribe(ExternalTaskClient client, VaultSettings settings, Executor executor) {
    Vault vault = new Vault(settings, new JdbcVaultCatalogue(settings.dataSource()));
    subscribe(client, vault, executor);
    return vault;
  }

  /** Subscribes the topics on {@code client} for an open vault. */
  public static List<TopicSubscription> subscribe(ExternalTaskClient client, Vault vault, Executor executor) {
    long lock = vault.settings().lockDuration().toMillis();
    List<TopicSubscription> subscriptions = List.of(
        client.subscribe(SeedingProcess.Topics.VAULT_SEED_COPY).lockDuration(lock).handler(new VaultSeedCopyHandler(vault, executor))
            .open(),
        client.subscribe(SeedingProcess.Topics.NETWORK_SEED).lockDuration(lock).handler(VaultBackupHandler.networkSeed(vault, executor))
            .open(),
        client.subscribe(SeedingProcess.Topics.INCREMENTAL_BACKUP).lockDuration(lock)
            .handler(VaultBackupHandler.incremental(vault, executor)).open());
    LOG.info("Subscribed to {}, {} and {} ({})", SeedingProcess.Topics.VAULT_SEED_COPY, SeedingProcess.Topics.NETWORK_SEED,
        SeedingProcess.Topics.INCREMENTAL_BACKUP, vault.settings());
    return subscriptions;
  }

  /**
   * Subscribes topic {@code seed-cleanup} (the clean-up the operator chose after the seed). Apart from
   * {@link #subscribe}, because it must run on the worker that holds the staging location and the disk-prep key store.
   */
  public static TopicSubscription subscribeSeedCleanup(ExternalTaskClient client, Vault vault, Executor executor) {
    TopicSubscription subscription = client.subscribe(SeedingProcess.Topics.SEED_CLEANUP).lockDuration(vault.settings().lockDuration()
        .toMillis()).handler(new SeedCleanupHandler(vault, executor)).open();
    LOG.info("Subscribed to {}", SeedingProcess.Topics.SEED_CLEANUP);
    return subscription;
  }
}

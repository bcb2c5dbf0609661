package io.seedship.workers.vault;

/** What made a recovery point: the seed copied from the import, a network seeding, or an incremental backup. */
public enum RecoveryPointKind {
  SEED, NETWORK_SEED, INCREMENTAL
}

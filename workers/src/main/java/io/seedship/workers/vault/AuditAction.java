package io.seedship.workers.vault;

/** What the clean-up after a seed did (docs/vault.md §4). */
public enum AuditAction {
  /** The repository blobs of the import container were deleted. */
  IMPORT_COPY_DELETED,
  /** The staging repository folder was deleted. */
  STAGING_DELETED,
  /** The drive keys (recovery passwords and records) of an import job were overwritten and deleted. */
  DRIVE_KEYS_ERASED
}

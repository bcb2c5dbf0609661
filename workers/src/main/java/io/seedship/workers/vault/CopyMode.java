package io.seedship.workers.vault;

/** How the seed copy moves blobs from the import container into the vault (docs/vault.md §4). */
public enum CopyMode {
  /** Server-side copies, falling back to streaming through the worker when the service cannot reach the source. */
  AUTO,
  /** Server-side copies only; a blob the service cannot copy fails the seed copy. */
  SERVER_SIDE,
  /** Every blob downloaded by the worker and uploaded with its checksums. */
  STREAM
}

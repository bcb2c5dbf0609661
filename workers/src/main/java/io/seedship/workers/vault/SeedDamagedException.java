package io.seedship.workers.vault;

import java.util.List;

/**
 * The seed copied from the import does not verify: damaged or missing packs (named), or index or snapshots that do
 * not fit. Nothing was committed: no snapshot in the vault, no recovery point.
 */
public class SeedDamagedException extends VaultException {

  private final List<String> damagedPacks;

  public SeedDamagedException(String message, List<String> damagedPacks) {
    super(message);
    this.damagedPacks = List.copyOf(damagedPacks);
  }

  /** Pack ids, in the order verify reported them. */
  public List<String> damagedPacks() {
    return damagedPacks;
  }
}

package io.seedship.workers.vault;

/** Receives a vault operation's progress (at least once per blob moved and about once per second while backing up). */
@FunctionalInterface
public interface VaultListener {

  VaultListener NONE = p -> { };

  void progress(VaultProgress progress);
}

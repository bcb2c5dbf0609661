package io.seedship.workers.vault;

/** Receives a vault operation's progress (at least once per blob moved and about once per second while backing up). */
@FunctionalInterface
public interface VaultListener {

  VaultListener NONE = p -> { };

  void progress(VaultProgress progress);

  /**
   * The operation begins one of its internal steps ({@code sync}, {@code open}, {@code pending}, {@code backup},
   * {@code upload}, {@code record}, ...): for timing them (the benchmark); nothing by default.
   */
  default void step(String name) {
  }
}

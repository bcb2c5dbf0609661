package io.seedship.workers.vault;

import io.seedship.workers.repository.PackMissingException;
import io.seedship.workers.repository.PackSource;
import io.seedship.workers.repository.PackStore;
import io.seedship.workers.repository.RandomId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A pack from the first store when it has it (the cache's files), else from the second (the vault). */
final class LayeredPackStore implements PackStore {

  private final PackStore first;
  private final PackStore second;

  LayeredPackStore(PackStore first, PackStore second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public PackSource open(RandomId pack) {
    try {
      return first.open(pack);
    } catch (PackMissingException notHere) {
      return second.open(pack);
    }
  }

  @Override
  public List<RandomId> list() {
    Set<RandomId> all = new LinkedHashSet<>(first.list());
    all.addAll(second.list());
    return List.copyOf(all);
  }

  @Override
  public String describe(RandomId pack) {
    return first.describe(pack) + " or " + second.describe(pack);
  }
}

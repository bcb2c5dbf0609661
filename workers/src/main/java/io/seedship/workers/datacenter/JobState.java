package io.seedship.workers.datacenter;

/** Import job states, spelled as the Import/Export service spells them (docs/datacenter.md §2). */
public enum JobState {
  Creating, Shipping, Received, Transferring, Packaging, Completed, Closed, Cancelled;

  public boolean finished() {
    return this == Completed || this == Closed || this == Cancelled;
  }
}

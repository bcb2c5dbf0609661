package io.seedship.workers.datacenter;

import java.util.List;

/** What a repair uploaded and what still differs between the staged repository and the container (empty when done). */
public record RepairResult(String jobId, List<String> uploaded, List<String> stillDiffering) {

  public RepairResult {
    uploaded = List.copyOf(uploaded);
    stillDiffering = List.copyOf(stillDiffering);
  }

  public boolean containerMatches() {
    return stillDiffering.isEmpty();
  }
}

package io.seedship.workers.datacenter;

import java.util.List;

/** The answer to creating a job: where to send the package and with whom. */
public record CreatedJob(String jobId, String shipToAddress, List<String> carriers) {

  public CreatedJob {
    carriers = List.copyOf(carriers);
  }
}

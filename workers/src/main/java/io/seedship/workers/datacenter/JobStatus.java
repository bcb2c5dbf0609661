package io.seedship.workers.datacenter;

import java.util.List;

/** A job as the service reports it. */
public record JobStatus(String jobId, JobState state, String storageAccount, String container, String message,
                        List<DriveStatus> drives) {

  public JobStatus {
    drives = List.copyOf(drives);
  }
}

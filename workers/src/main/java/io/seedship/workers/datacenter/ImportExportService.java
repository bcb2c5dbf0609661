package io.seedship.workers.datacenter;

import java.util.Optional;

/**
 * The Import/Export service as Seedship uses it (docs/datacenter.md §1). Adapters: {@link LocalDatacenter}; the
 * Azure REST adapter implements the same port.
 */
public interface ImportExportService {

  CreatedJob createJob(JobRequest request);

  /**
   * The job of that name as its creation answered, when it exists (a redelivered task finds the job it created).
   * Adapters that cannot tell answer empty, and a second {@link #createJob} is refused instead.
   */
  default Optional<CreatedJob> existingJob(String jobName) {
    return Optional.empty();
  }

  /** Refused for a tracking number any other job was ever given, and once the package arrived. */
  void updateShipping(String jobId, ShippingDetails shipping);

  JobStatus status(String jobId);

  /** Refused from {@code Shipping} on. */
  void cancel(String jobId);
}

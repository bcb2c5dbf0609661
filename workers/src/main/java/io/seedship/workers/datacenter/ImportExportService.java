package io.seedship.workers.datacenter;

/**
 * The Import/Export service as Seedship uses it (docs/datacenter.md §1). Adapters: {@link LocalDatacenter}; the
 * Azure REST adapter implements the same port.
 */
public interface ImportExportService {

  CreatedJob createJob(JobRequest request);

  /** Refused for a tracking number any other job was ever given, and once the package arrived. */
  void updateShipping(String jobId, ShippingDetails shipping);

  JobStatus status(String jobId);

  /** Refused from {@code Shipping} on. */
  void cancel(String jobId);
}

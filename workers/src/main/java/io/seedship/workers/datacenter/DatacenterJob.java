package io.seedship.workers.datacenter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An import job as the datacenter keeps it. {@code stateSince} is when the current state was entered: the
 * clock-driven transitions count from it.
 */
public record DatacenterJob(String jobId, String storageAccount, String container, String returnAddress, String contact,
                            boolean verboseLog, JobState state, Instant createdAt, Instant stateSince, ShippingDetails shipping,
                            Instant shippingSubmittedAt, String message, List<DatacenterDrive> drives) {

  public DatacenterJob {
    drives = List.copyOf(drives);
  }

  DatacenterJob in(JobState newState, Instant since, String newMessage) {
    return new DatacenterJob(jobId, storageAccount, container, returnAddress, contact, verboseLog, newState, createdAt, since,
        shipping, shippingSubmittedAt, newMessage, drives);
  }

  DatacenterJob shipped(ShippingDetails details, Instant submittedAt) {
    return new DatacenterJob(jobId, storageAccount, container, returnAddress, contact, verboseLog, JobState.Shipping, createdAt,
        state == JobState.Shipping ? stateSince : submittedAt, details,
        shippingSubmittedAt == null ? submittedAt : shippingSubmittedAt, message, drives);
  }

  DatacenterJob with(DatacenterDrive drive) {
    List<DatacenterDrive> updated = new ArrayList<>(drives);
    updated.replaceAll(d -> d.driveId().equals(drive.driveId()) ? drive : d);
    return new DatacenterJob(jobId, storageAccount, container, returnAddress, contact, verboseLog, state, createdAt, stateSince,
        shipping, shippingSubmittedAt, message, updated);
  }

  JobStatus status() {
    return new JobStatus(jobId, state, storageAccount, container, message, drives.stream().map(DatacenterDrive::status).toList());
  }
}

package io.seedship.workers.datacenter;

import java.util.List;
import java.util.Optional;

/** Where the datacenter keeps its jobs. Implementations enforce unique job ids and tracking numbers. */
public interface DatacenterStore {

  /** @throws ImportJobRefusedException when the job id exists */
  void insert(DatacenterJob job);

  /** Saves the job and its drives; @throws DuplicateTrackingNumberException when another job has its tracking number */
  void update(DatacenterJob job);

  Optional<DatacenterJob> find(String jobId);

  /** The id of the job that was given this (normalised) tracking number, if any. */
  Optional<String> jobWithTrackingNumber(String trackingNumber);

  /** Jobs whose state is not final, oldest first. */
  List<DatacenterJob> unfinished();
}

package io.seedship.workers.datacenter;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The store for tests: the same rules as the database, in a map. */
public final class InMemoryDatacenterStore implements DatacenterStore {

  private final Map<String, DatacenterJob> jobs = new LinkedHashMap<>();

  @Override
  public synchronized void insert(DatacenterJob job) {
    if (jobs.containsKey(job.jobId())) {
      throw new ImportJobRefusedException("An import job named " + job.jobId() + " exists already: choose another name.");
    }
    jobs.put(job.jobId(), job);
  }

  @Override
  public synchronized void update(DatacenterJob job) {
    if (job.shipping() != null) {
      Optional<String> holder = jobWithTrackingNumber(job.shipping().trackingNumber());
      if (holder.isPresent() && !holder.get().equals(job.jobId())) {
        throw LocalDatacenter.duplicateTracking(job.shipping().trackingNumber(), holder.get());
      }
    }
    jobs.put(job.jobId(), job);
  }

  @Override
  public synchronized Optional<DatacenterJob> find(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public synchronized Optional<String> jobWithTrackingNumber(String trackingNumber) {
    return jobs.values().stream().filter(j -> j.shipping() != null && j.shipping().trackingNumber().equals(trackingNumber))
        .map(DatacenterJob::jobId).findFirst();
  }

  @Override
  public synchronized List<DatacenterJob> unfinished() {
    return jobs.values().stream().filter(j -> !j.state().finished()).sorted(Comparator.comparing(DatacenterJob::createdAt))
        .toList();
  }
}

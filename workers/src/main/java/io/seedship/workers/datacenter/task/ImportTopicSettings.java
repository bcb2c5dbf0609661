package io.seedship.workers.datacenter.task;

import io.seedship.workers.worker.TaskPolicy;

/**
 * The copy computer's side of the import job: the return address and contact the job is created with (a
 * seeding's own {@code returnAddress}/{@code contact} variables win), whether the datacenter writes verbose logs,
 * and how the import topics' tasks are locked and retried.
 */
public record ImportTopicSettings(String returnAddress, String contact, boolean verboseLog, TaskPolicy policy) {
}

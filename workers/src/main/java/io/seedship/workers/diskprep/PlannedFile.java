package io.seedship.workers.diskprep;

/** One staged file in an import job's plan: its number, '/'-separated path in the repository, and size. */
public record PlannedFile(int index, String path, long size) {
}

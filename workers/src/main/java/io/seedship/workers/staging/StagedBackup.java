package io.seedship.workers.staging;

import java.util.List;

/**
 * The outcome of staging: the snapshot in the staging repository and its size on disk (what disk
 * preparation will copy). {@code alreadyStaged} is true when an earlier delivery had finished the work.
 */
public record StagedBackup(String snapshotId, long stagedBytes, long sourceBytes, List<String> warnings, boolean alreadyStaged) {
}

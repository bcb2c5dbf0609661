package io.seedship.workers.repository;

import java.util.List;

/** A finished pack: its id, its length on disk and its blobs, as its header and the index record them. */
record PackSummary(RandomId id, long length, List<PackEntry> entries) {
}

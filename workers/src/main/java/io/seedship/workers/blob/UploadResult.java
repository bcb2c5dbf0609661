package io.seedship.workers.blob;

/**
 * The outcome of one verified upload: {@code alreadyPresent} when the blob held the same bytes before (nothing
 * sent); {@code blocksReused} blocks were found staged by an earlier, interrupted attempt.
 */
public record UploadResult(String blobName, long bytes, String sha256, boolean alreadyPresent, int blocksStaged,
                           int blocksReused) {
}

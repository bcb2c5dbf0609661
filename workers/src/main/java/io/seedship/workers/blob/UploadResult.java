package io.seedship.workers.blob;

/**
 * The outcome of one verified upload: {@code alreadyPresent} when the blob held the same bytes before (nothing
 * sent); {@code blocksReused} blocks were found staged by an earlier, interrupted attempt; {@code bytesSent} is
 * what this upload staged (the blob's bytes less the reused blocks).
 */
public record UploadResult(String blobName, long bytes, String sha256, boolean alreadyPresent, int blocksStaged,
                           int blocksReused, long bytesSent) {
}

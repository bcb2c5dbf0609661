package io.seedship.workers.vault;

import java.time.Instant;

/**
 * One protected source with its repository in the vault: id (= the seeding id), the source path, where its
 * blobs are ({@code vaultContainer}/{@code blobPrefix}), the repository id of its config, how it was seeded.
 */
public record Protection(String protectionId, String protectedSource, String vaultContainer, String blobPrefix,
                         String repositoryId, SeedMethod seedMethod, Instant createdAt) {
}

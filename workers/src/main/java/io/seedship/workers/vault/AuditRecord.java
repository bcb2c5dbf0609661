package io.seedship.workers.vault;

import java.time.Instant;

/** Who did what to which target when, after a seed: one row of {@code vault_audit}. */
public record AuditRecord(String protectionId, AuditAction action, String target, String detail, String actor,
                          Instant performedAt) {
}

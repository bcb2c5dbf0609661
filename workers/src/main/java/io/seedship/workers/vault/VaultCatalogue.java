package io.seedship.workers.vault;

import java.util.List;
import java.util.Optional;

/** The vault's catalogue (docs/vault.md §8): protections, their recovery points, and the clean-up's audit trail. */
public interface VaultCatalogue {

  /** Records the protection unless it is recorded already; returns the recorded one. */
  Protection ensureProtection(Protection protection);

  Optional<Protection> protection(String protectionId);

  /**
   * Records a snapshot as the protection's next recovery point; idempotent: a snapshot recorded before answers
   * its existing point (numbers are never reused or doubled).
   */
  RecoveryPoint recordRecoveryPoint(String protectionId, NewRecoveryPoint point);

  /** The protection's recovery points, by number. */
  List<RecoveryPoint> recoveryPoints(String protectionId);

  /** The point recorded for a request (an external task's id), if any. */
  Optional<RecoveryPoint> recoveryPointForRequest(String protectionId, String requestId);

  void audit(AuditRecord record);

  /** The protection's audit records, oldest first. */
  List<AuditRecord> auditTrail(String protectionId);
}

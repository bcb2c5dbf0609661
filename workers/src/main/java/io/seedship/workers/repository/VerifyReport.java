package io.seedship.workers.repository;

import java.util.List;

/** The outcome of a verify: every problem found, each naming the pack, chunk and files it affects. */
public record VerifyReport(int packsChecked, long chunksChecked, int snapshotsChecked, boolean dataRead,
                           List<Problem> problems, List<String> notes) {

  /** Kinds of damage; each maps to one of the engine's distinct errors. */
  public enum Kind { MISSING_PACK, TRUNCATED_PACK, TAMPERED_PACK, MISPLACED_CHUNK, CORRUPTED_CHUNK, MISSING_CHUNK, DAMAGED_INDEX, DAMAGED_SNAPSHOT }

  /** One damaged thing and the files (as "snapshot-id:path") that use it. */
  public record Problem(Kind kind, String pack, String chunk, String message, List<String> affectedFiles) {
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}

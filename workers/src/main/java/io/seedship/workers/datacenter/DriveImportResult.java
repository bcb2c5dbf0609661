package io.seedship.workers.datacenter;

import java.util.List;

/** What the import of one drive came to: its final state, the bytes imported, its error log and verbose lines. */
record DriveImportResult(DriveState state, long bytesSucceeded, String message, ImportErrorLog errorLog,
                         List<String> verboseLines) {

  DriveImportResult {
    verboseLines = List.copyOf(verboseLines);
  }
}

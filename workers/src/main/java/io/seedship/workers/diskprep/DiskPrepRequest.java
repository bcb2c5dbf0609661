package io.seedship.workers.diskprep;

import java.nio.file.Path;
import java.util.List;

/**
 * One run of disk preparation: the seeding's staging location, the import job (its effective name, with
 * the attempt appended after a re-shipment), the drive folders in the order the operator gave them,
 * whether drives holding other data may be formatted, and the publish-settings file when given.
 */
public record DiskPrepRequest(String seedingId, Path stagingLocation, String importJob, List<Path> drives,
                              boolean formatConfirmed, Path publishSettings) {

  public DiskPrepRequest {
    drives = List.copyOf(drives);
  }
}

package io.seedship.workers.diskprep;

import java.util.List;

/**
 * A drive folder given for an import job, classified before anything is written: sealed already,
 * interrupted (resume), or new (empty, or holding other data that needs format confirmation).
 */
record AttachedDrive(DriveLayout layout, Kind kind, DriveDescriptor descriptor, DriveRecord record, VolumeHeader header,
                     List<String> foreignEntries) {

  enum Kind { SEALED, RESUME, NEW }

  boolean hasForeignData() {
    return !foreignEntries.isEmpty();
  }
}

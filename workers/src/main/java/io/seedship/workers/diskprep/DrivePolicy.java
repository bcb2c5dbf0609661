package io.seedship.workers.diskprep;

import io.seedship.workers.Sizes;
/** What the import service accepts (docs/drive-format.md §1): checked before anything is written. */
final class DrivePolicy {

  static final long MAX_DRIVE_BYTES = 10_000_000_000_000L;
  static final int MAX_DRIVES_PER_JOB = 10;

  private DrivePolicy() {
  }

  static void checkAccepted(DriveDescriptor drive) {
    if (drive.bus() != DriveDescriptor.Bus.SATA) {
      throw new DriveNotSupportedException("The drive at " + drive.folder() + " is attached over " + drive.bus()
          + "; the import service only accepts SATA II/III drives (2.5\" SSD, 2.5\"/3.5\" HDD). Attach a SATA drive"
          + (drive.bus() == DriveDescriptor.Bus.USB ? " (a USB drive or enclosure is not accepted)." : "."));
    }
    if (drive.media() != DriveDescriptor.Media.HDD && drive.media() != DriveDescriptor.Media.SSD) {
      throw new DriveNotSupportedException("The drive at " + drive.folder() + " is neither an HDD nor an SSD (" + drive.media()
          + "): attach a SATA HDD or SSD.");
    }
    if (drive.sizeBytes() > MAX_DRIVE_BYTES) {
      throw new DriveNotSupportedException("The drive at " + drive.folder() + " holds " + drive.sizeBytes() + " bytes ("
          + Sizes.human(drive.sizeBytes()) + "); the import service accepts drives of at most 10 TB: attach a smaller drive.");
    }
  }

  static void checkDriveCount(int drivesOfJob, int newDrives, String importJob) {
    if (drivesOfJob + newDrives > MAX_DRIVES_PER_JOB) {
      throw new TooManyDrivesException("Import job " + importJob + " already has " + drivesOfJob + " drive(s); " + newDrives
          + " more would exceed the service's limit of " + MAX_DRIVES_PER_JOB + " drives per import job. Use larger drives, "
          + "or abort this preparation and start again with fewer, larger drives.");
    }
  }
}

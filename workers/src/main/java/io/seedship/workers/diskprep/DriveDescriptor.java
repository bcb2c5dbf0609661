package io.seedship.workers.diskprep;

import io.seedship.workers.Sizes;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What Seedship knows about a drive before writing to it (docs/drive-format.md §1). {@code serial} may be
 * null; {@code capacityBytes} is what Seedship may use on it; {@code describedBy} is "declaration" or "kernel".
 */
public record DriveDescriptor(Path folder, Bus bus, Media media, String serial, long sizeBytes, long capacityBytes,
                              String describedBy) {

  /** How the drive is attached. Only SATA is accepted by the import service. */
  public enum Bus { SATA, SAS, NVME, USB, VIRTIO, SCSI, UNKNOWN }

  /** Spinning or solid state. */
  public enum Media { HDD, SSD, UNKNOWN }

  public String summary() {
    return String.format(Locale.ROOT, "%s %s, %s device, %s usable%s (%s)", bus, media, Sizes.human(sizeBytes),
        Sizes.human(capacityBytes), serial == null ? "" : ", serial " + serial, describedBy);
  }
}

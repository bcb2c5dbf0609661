package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks the Linux kernel what disk a folder lives on: /proc/self/mountinfo gives the device numbers,
 * /sys/dev/block/MAJ:MIN leads to the disk (a partition's parent), whose sysfs path names the bus
 * (usb, ata, nvme, virtio) and whose queue/rotational, size and serial describe it. Roots are
 * constructor arguments so a test can hand it a fake /sys.
 */
final class SysBlockProbe {

  record Probed(DriveDescriptor.Bus bus, DriveDescriptor.Media media, String serial, long sizeBytes) {
  }

  private final Path mountInfo;
  private final Path sys;

  SysBlockProbe(Path mountInfo, Path sys) {
    this.mountInfo = mountInfo;
    this.sys = sys;
  }

  static SysBlockProbe system() {
    return new SysBlockProbe(Path.of("/proc/self/mountinfo"), Path.of("/sys"));
  }

  Optional<Probed> probe(Path folder) {
    try {
      Optional<String> device = deviceNumbers(folder.toRealPath());
      if (device.isEmpty()) {
        return Optional.empty();
      }
      Path link = sys.resolve("dev/block").resolve(device.get());
      if (!Files.exists(link)) {
        return Optional.empty();
      }
      Path disk = link.toRealPath();
      if (Files.exists(disk.resolve("partition"))) {
        disk = disk.getParent();
      }
      String where = disk.toString().toLowerCase(Locale.ROOT);
      DriveDescriptor.Bus bus = where.contains("/virtual/") ? DriveDescriptor.Bus.UNKNOWN
          : where.contains("/usb") ? DriveDescriptor.Bus.USB
          : where.contains("/nvme") ? DriveDescriptor.Bus.NVME
          : where.contains("/virtio") ? DriveDescriptor.Bus.VIRTIO
          : where.contains("/ata") ? DriveDescriptor.Bus.SATA
          : DriveDescriptor.Bus.SCSI;
      String rotational = read(disk.resolve("queue/rotational"));
      DriveDescriptor.Media media = "1".equals(rotational) ? DriveDescriptor.Media.HDD
          : "0".equals(rotational) ? DriveDescriptor.Media.SSD : DriveDescriptor.Media.UNKNOWN;
      String sectors = read(disk.resolve("size"));
      long size = sectors == null ? -1 : Long.parseLong(sectors) * 512;
      String serial = firstOf(disk.resolve("device/serial"), disk.resolve("serial"), disk.resolve("device/wwid"));
      return Optional.of(new Probed(bus, media, serial, size));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** "MAJ:MIN" of the mount whose mount point is the longest prefix of the folder. */
  private Optional<String> deviceNumbers(Path folder) throws IOException {
    if (!Files.isReadable(mountInfo)) {
      return Optional.empty();
    }
    String best = null;
    int bestLength = -1;
    List<String> lines = Files.readAllLines(mountInfo);
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 5) {
        continue;
      }
      Path mountPoint = Path.of(f[4].replace("\\040", " "));
      if (folder.startsWith(mountPoint) && mountPoint.toString().length() > bestLength) {
        best = f[2];
        bestLength = mountPoint.toString().length();
      }
    }
    return Optional.ofNullable(best);
  }

  private static String firstOf(Path... files) {
    for (Path file : files) {
      String value = read(file);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }
}

package io.seedship.workers.diskprep;

import io.seedship.workers.Sizes;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Describes a drive folder: from its declaration file {@code seedship-drive.properties} when there is
 * one, else from the kernel (docs/drive-format.md §1). Capacity: declared, else the usable space.
 */
public final class DriveInspector {

  private final SysBlockProbe probe;

  DriveInspector(SysBlockProbe probe) {
    this.probe = probe;
  }

  public static DriveInspector system() {
    return new DriveInspector(SysBlockProbe.system());
  }

  /**
   * @param ownBytes bytes Seedship's folder of this job already occupies on the drive (they count as free
   *                 when the capacity comes from the file system)
   */
  public DriveDescriptor describe(Path folder, long ownBytes) {
    if (!Files.isDirectory(folder)) {
      throw new DriveNotSupportedException("The drive folder " + folder + " does not exist or is not a folder: "
          + "mount the drive and give the folder it is mounted on.");
    }
    Path declaration = folder.resolve(DriveLayout.DECLARATION);
    if (Files.isRegularFile(declaration)) {
      return declared(folder, declaration, ownBytes);
    }
    Optional<SysBlockProbe.Probed> probed = probe.probe(folder);
    if (probed.isEmpty()) {
      throw new DriveNotSupportedException("Seedship cannot tell what kind of disk " + folder + " is (the kernel does not say): "
          + "declare it in " + declaration + " (bus=SATA, media=HDD or SSD, size=...), or use a drive on a SATA port.");
    }
    SysBlockProbe.Probed p = probed.get();
    long size = p.sizeBytes() > 0 ? p.sizeBytes() : totalSpace(folder);
    return new DriveDescriptor(folder, p.bus(), p.media(), p.serial(), size, usableSpace(folder) + ownBytes, "kernel");
  }

  private static DriveDescriptor declared(Path folder, Path declaration, long ownBytes) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(declaration, StandardCharsets.ISO_8859_1)));
      DriveDescriptor.Bus bus = DriveDescriptor.Bus.valueOf(required(p, "bus").toUpperCase(Locale.ROOT));
      DriveDescriptor.Media media = DriveDescriptor.Media.valueOf(required(p, "media").toUpperCase(Locale.ROOT));
      long size = p.getProperty("size") != null ? Sizes.parse(p.getProperty("size")) : totalSpace(folder);
      long capacity = p.getProperty("capacity") != null ? Sizes.parse(p.getProperty("capacity")) : usableSpace(folder) + ownBytes;
      String serial = p.getProperty("serial");
      return new DriveDescriptor(folder, bus, media, serial == null || serial.isBlank() ? null : serial.strip(), size, capacity,
          "declaration");
    } catch (IOException | IllegalArgumentException e) {
      throw new DriveNotSupportedException("The drive declaration " + declaration + " cannot be used (" + e.getMessage()
          + "): it needs bus=SATA|SAS|NVME|USB|..., media=HDD|SSD, and optionally size=, capacity=, serial=.", e);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return value.strip();
  }

  private static long usableSpace(Path folder) {
    try {
      return Files.getFileStore(folder).getUsableSpace();
    } catch (IOException e) {
      throw new DriveNotSupportedException("The free space of " + folder + " cannot be read (" + e.getMessage()
          + "): check that the drive is mounted.", e);
    }
  }

  private static long totalSpace(Path folder) {
    try {
      return Files.getFileStore(folder).getTotalSpace();
    } catch (IOException e) {
      throw new DriveNotSupportedException("The size of " + folder + " cannot be read (" + e.getMessage()
          + "): check that the drive is mounted.", e);
    }
  }
}

package io.seedship.workers;

import java.util.Locale;

/** Sizes for people (1.5 GiB) and from people (64M, 4T, 10TB): one rule for the command line and the drives. */
public final class Sizes {

  private Sizes() {
  }

  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** Binary suffixes K/M/G/T (2^10…2^40); KB/MB/GB/TB are decimal (10^3…10^12), as drive labels use them. */
  public static long parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    String[] decimal = {"KB", "MB", "GB", "TB"};
    String[] binary = {"K", "M", "G", "T"};
    for (int i = 0; i < 4; i++) {
      if (t.endsWith(decimal[i])) {
        unit = (long) Math.pow(1000, i + 1);
        t = t.substring(0, t.length() - 2);
        break;
      }
      if (t.endsWith(binary[i])) {
        unit = 1L << (10 * (i + 1));
        t = t.substring(0, t.length() - 1);
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t.strip()), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 500G, 4TB, 64M)", e);
    }
  }
}

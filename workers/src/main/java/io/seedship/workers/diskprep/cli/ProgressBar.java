package io.seedship.workers.diskprep.cli;

import io.seedship.workers.diskprep.DiskPrepListener;
import io.seedship.workers.diskprep.DiskPrepProgress;
import java.io.PrintStream;
import java.util.Locale;

/** A progress bar redrawn in place: writing (the whole job) and verifying (the current drive). */
final class ProgressBar implements DiskPrepListener {

  private static final int WIDTH = 30;
  private final PrintStream out;

  ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public void progress(DiskPrepProgress p) {
    if (p.phase() == DiskPrepProgress.Phase.DONE) {
      return;
    }
    if (p.phase() == DiskPrepProgress.Phase.SEALED) {
      out.printf(Locale.ROOT, "%ndrive %s sealed and verified: ready to ship%n", p.driveId());
      return;
    }
    int filled = (int) Math.round(p.fraction() * WIDTH);
    out.print(String.format(Locale.ROOT, "\r[%s%s] %3.0f%%  %s drive %s  %d/%d files  %s/%s  %.0f MB/s   ",
        "#".repeat(filled), ".".repeat(WIDTH - filled), p.fraction() * 100,
        verb(p.phase()), p.driveId(), p.filesDone(), p.filesTotal(),
        human(p.bytesDone()), human(p.bytesTotal()), p.bytesPerSecond() / 1e6));
    out.flush();
  }

  private static String verb(DiskPrepProgress.Phase phase) {
    return switch (phase) {
      case WRITING -> "encrypting to";
      case FORCING -> "flushing to";
      default -> "verifying";
    };
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

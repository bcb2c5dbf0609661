package io.seedship.workers.cli;

import io.seedship.workers.Sizes;
import io.seedship.workers.repository.BackupProgress;
import io.seedship.workers.repository.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/** A progress bar on a terminal (redrawn in place), one line per report otherwise (logs, pipes). */
final class ProgressPrinter implements ProgressListener {

  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;

  ProgressPrinter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized void progress(BackupProgress p) {
    double mbps = p.bytesPerSecond() / 1e6;
    String figures = String.format(Locale.ROOT, "%d/%d files  %s/%s  %.0f MB/s  %d packs  %s",
        p.filesDone(), p.filesTotal(), Sizes.human(p.bytesDone()), Sizes.human(p.bytesTotal()), mbps, p.packsWritten(),
        p.phase().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    if (terminal) {
      int filled = (int) Math.round(p.fraction() * WIDTH);
      out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
          + String.format(Locale.ROOT, "%3.0f%%  ", p.fraction() * 100) + figures + "   ");
      if (p.phase() == BackupProgress.Phase.DONE) {
        out.println();
      }
    } else {
      out.println(String.format(Locale.ROOT, "progress %.1f%% packs=%d ", p.fraction() * 100, p.packsWritten()) + figures);
    }
    out.flush();
  }
}

package io.seedship.workers.vault.cli;

import io.seedship.workers.Sizes;
import io.seedship.workers.vault.VaultListener;
import io.seedship.workers.vault.VaultProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of a vault command: one line redrawn in place on a terminal; otherwise a line per blob moved, per phase
 * change, and at most one per interval while backing up (logs, pipes).
 */
final class ProgressLine implements VaultListener {

  private final PrintStream out;
  private final boolean terminal;
  private VaultProgress.Phase lastPhase;
  private final long intervalNanos;
  private long lastLine;

  ProgressLine(PrintStream out, boolean terminal, java.time.Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = interval.toNanos();
  }

  @Override
  public synchronized void progress(VaultProgress p) {
    boolean perBlob = p.phase() == VaultProgress.Phase.UPLOADING || p.phase() == VaultProgress.Phase.COPYING;
    long now = System.nanoTime();
    if (!terminal && p.phase() == lastPhase && !perBlob && now - lastLine < intervalNanos) {
      return;
    }
    lastPhase = p.phase();
    lastLine = now;
    String unit = p.phase() == VaultProgress.Phase.BACKING_UP || p.phase() == VaultProgress.Phase.RESTORING ? "files" : "blobs";
    String text = String.format(Locale.ROOT, "%s %d/%d %s  %s/%s  %.1f MB/s  %.0f s", p.phase().name().toLowerCase(Locale.ROOT),
        p.itemsDone(), p.itemsTotal(), unit, Sizes.human(p.bytesDone()), Sizes.human(p.bytesTotal()), p.bytesPerSecond() / 1e6,
        p.elapsed().toMillis() / 1000.0);
    if (terminal) {
      out.print("\r" + text + "    ");
      if (p.phase() == VaultProgress.Phase.DONE) {
        out.println();
      }
    } else {
      out.println("progress " + text);
    }
    out.flush();
  }
}

package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a preparation in a child JVM for {@link CrashResumeTest}: once {@code pauseAfter} files are journaled
 * it says PAUSED and waits on stdin (its encryption threads go on writing the remaining files), so the parent
 * kills it in the middle of the drive at a known point. Commit groups of {@code groupBytes}.
 * Args: keyDir staging seedingId importJob drive pauseAfter groupBytes.
 */
public final class DiskPrepCrashChild {

  private DiskPrepCrashChild() {
  }

  public static void main(String[] args) throws IOException {
    int pauseAfter = Integer.parseInt(args[5]);
    DiskPrepListener listener = p -> {
      if (p.phase() == DiskPrepProgress.Phase.WRITING && p.filesDone() >= pauseAfter) {
        System.out.println("PAUSED files=" + p.filesDone());
        System.out.flush();
        try {
          System.in.read();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    new PrepareDrives(new DiskPrepKeyStore(Path.of(args[0])), DriveInspector.system(), KdfParameters.FAST, Long.parseLong(args[6]))
        .prepare(new DiskPrepRequest(args[2], Path.of(args[1]), args[3], List.of(Path.of(args[4])), false, null), listener);
    System.out.println("FINISHED");
  }
}

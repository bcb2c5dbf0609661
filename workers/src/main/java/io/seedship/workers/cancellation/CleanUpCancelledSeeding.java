package io.seedship.workers.cancellation;

import io.seedship.workers.datacenter.CancelRefusedException;
import io.seedship.workers.datacenter.ImportExportService;
import io.seedship.workers.datacenter.JobState;
import io.seedship.workers.datacenter.UnknownJobException;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.vault.CleanUpAfterSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What is left of a cancelled seeding on the copy computer and at the datacenter is removed: the import job is
 * cancelled while the service still allows it (in {@code Creating}); the staged backup is deleted; the repository
 * key and every drive key of the seeding are crypto-erased (overwritten, forced, deleted), so drives already in the
 * mail can never be read. Running it again finds nothing left and says so.
 */
public final class CleanUpCancelledSeeding {

  private final ImportExportService importExport;
  private final Path keyDirectory;

  public CleanUpCancelledSeeding(ImportExportService importExport, Path keyDirectory) {
    this.importExport = importExport;
    this.keyDirectory = keyDirectory;
  }

  /** Returns one line per step, for the operator. */
  public List<String> cleanUp(String seedingId, String importJobId, Path stagingLocation) {
    List<String> report = new ArrayList<>();
    if (importJobId != null) {
      report.add(cancelImportJob(importJobId));
    }
    if (stagingLocation != null) {
      Path repository = StagingLayout.repositoryFor(stagingLocation, seedingId);
      report.add(Files.exists(repository, LinkOption.NOFOLLOW_LINKS) ? "staged backup " + repository + " deleted ("
          + delete(repository) + " files)" : "no staged backup at " + repository);
    }
    Path repositoryKey = StagingLayout.keyFileFor(keyDirectory.resolve("repositories"), seedingId);
    if (Files.exists(repositoryKey, LinkOption.NOFOLLOW_LINKS)) {
      CleanUpAfterSeed.cryptoErase(repositoryKey);
      report.add("repository key crypto-erased");
    }
    DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keyDirectory);
    for (String job : keyStore.jobs()) {
      if (seedingId.equals(keyStore.jobInfo(job).seedingId())) {
        int files = CleanUpAfterSeed.cryptoErase(keyStore.jobFolder(job));
        report.add("drive keys of import job " + job + " crypto-erased (" + files + " key-store files)");
      }
    }
    if (report.isEmpty()) {
      report.add("nothing left to clean up");
    }
    return report;
  }

  private String cancelImportJob(String jobId) {
    try {
      JobState state = importExport.status(jobId).state();
      if (state == JobState.Cancelled) {
        return "import job " + jobId + " is cancelled";
      }
      importExport.cancel(jobId);
      return "import job " + jobId + " cancelled";
    } catch (CancelRefusedException e) {
      return "import job " + jobId + " could not be cancelled (" + e.getMessage() + "); its drives cannot be read once their keys "
          + "are erased";
    } catch (UnknownJobException e) {
      return "import job " + jobId + " is not known to the service (expired or never created)";
    }
  }

  private static long delete(Path folder) {
    long files = 0;
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          files++;
        }
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Deleting " + folder + " failed (" + e.getMessage() + "): fix the permissions, then retry the "
          + "incident.", e);
    }
    return files;
  }
}

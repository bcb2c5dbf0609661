package io.seedship.workers.diskprep;

import io.seedship.workers.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Abandons an import job's preparation cleanly: Seedship's folder is deleted from every given drive of
 * that job (drives of other jobs and other data are left alone), then the job's keys and records.
 */
public final class AbortPreparation {

  private final DiskPrepKeyStore keyStore;

  public AbortPreparation(DiskPrepKeyStore keyStore) {
    this.keyStore = keyStore;
  }

  /** Returns how many drives were wiped. */
  public int abort(String importJob, List<Path> drives) {
    DriveContext.checkName(importJob, "import job name");
    try (AutoCloseable lock = keyStore.lock(importJob)) {
      int wiped = 0;
      for (Path drive : drives) {
        DriveLayout layout = new DriveLayout(drive);
        if (VolumeHeader.exists(layout.volume()) && VolumeHeader.read(layout.volume()).context().importJob().equals(importJob)) {
          FileTrees.deleteTree(layout.root());
          wiped++;
        }
      }
      keyStore.deleteJob(importJob);
      return wiped;
    } catch (IOException e) {
      throw new UncheckedIOException("Aborting import job " + importJob + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

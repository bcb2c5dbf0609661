package io.seedship.web.staging;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedship.processes.SeedingProcess;
import io.seedship.web.support.WorkerFlowTest;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Restore;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.Verify;
import io.seedship.workers.repository.VerifyReport;
import io.seedship.workers.staging.StageBackup;
import io.seedship.workers.staging.StagedBackup;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.staging.StagingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The staging phase with a real worker over /engine-rest: a first delivery dies after doing the work but
 * before completing it, its lock expires, the worker gets the task again and finishes without a second
 * backup. The staged repository verifies and restores the source; no key material reaches the engine.
 */
class StagingWorkerTest extends WorkerFlowTest {

  @Autowired
  ExternalTaskService externalTasks;

  @TempDir
  Path dir;

  @Test
  void aStagingTaskDeliveredTwiceLeavesOneConsistentRepository() throws Exception {
    Path source = source(dir.resolve("source"), 3);
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path keys = dir.resolve("worker-keys");
    String seedingId = startSeeding(source, staging, "job-staging-twice");
    awaitActivity(seedingId, "BackUpToStaging", Duration.ofSeconds(30));

    // first delivery: a worker does the backup, then dies before it can complete the task
    List<LockedExternalTask> first = externalTasks.fetchAndLock(1, "crashed-worker")
        .topic(SeedingProcess.Topics.STAGING_BACKUP, 1_000).businessKey(seedingId).execute();
    assertThat(first).hasSize(1);
    StagingSettings stagingSettings = StagingSettings.defaults(keys.resolve("repositories"));
    StagedBackup firstRun = new StageBackup(stagingSettings).stage(seedingId, source, staging, progress -> { });

    // the lock runs out; the real worker fetches the task again and finishes it
    startWorker(keys);
    awaitActivity(seedingId, "AttachDrives", Duration.ofSeconds(60));

    String process = processOf(seedingId);
    assertThat(runtime.getVariable(process, SeedingProcess.Variables.STAGED_SNAPSHOT_ID)).isEqualTo(firstRun.snapshotId());
    Path keyFile = StagingLayout.keyFileFor(keys.resolve("repositories"), seedingId);
    Repository repository = Repository.open(StagingLayout.repositoryFor(staging, seedingId), RepositorySecret.ofKeyFile(keyFile));
    List<Snapshot> snapshots = repository.snapshots();
    assertThat(snapshots).hasSize(1);
    VerifyReport report = new Verify(repository, 2).run(true);
    assertThat(report.ok()).as(report.toString()).isTrue();
    Path restored = dir.resolve("restored");
    new Restore(repository, 2).run(snapshots.get(0), null, restored);
    assertSameFiles(source, restored);

    String keyText = Files.readString(keyFile).trim();
    String engineData = String.join("\n", jdbc.sql("SELECT coalesce(text_, '') FROM act_hi_varinst").query(String.class).list())
        + String.join("\n", jdbc.sql("SELECT coalesce(encode(bytes_, 'base64'), '') FROM act_ge_bytearray").query(String.class).list());
    assertThat(engineData).doesNotContain(keyText);
    assertThat(jdbc.sql("SELECT name_ FROM act_hi_varinst WHERE proc_inst_id_ = ?").param(process).query(String.class).list())
        .noneMatch(name -> name.toLowerCase().contains("key") || name.toLowerCase().contains("secret"));
  }
}

package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An incremental's walk runs on a thread of its own: its failures reach the caller, and it never leaves the backup hanging. */
class IncrementalWalkTest extends InPlaceChangeFixture {

  @Test
  void aParentTreeThatCannotBeReadFailsTheIncrementalWithTheReadsError() throws Exception {
    Path root = temp.resolve("repo");
    Repository repository = Repository.init(root, secret, KeyDerivation.FAST);
    new Backup(repository, BackupOptions.defaults()).run(source, ProgressListener.NONE);
    for (Path pack : repository.listPackFiles()) {
      Files.delete(pack); // the parent's tree chunks with them; the index still lists them
    }
    overwrite(source.resolve("server.log"), 4096, 4096, 1);

    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
        () -> new Backup(Repository.open(root, secret), BackupOptions.defaults()).run(source, ProgressListener.NONE))
        .isInstanceOf(PackMissingException.class));
    assertThat(Repository.open(root, secret).snapshots()).as("no snapshot of the failed incremental").hasSize(1);
  }
}

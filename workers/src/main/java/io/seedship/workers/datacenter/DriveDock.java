package io.seedship.workers.datacenter;

import java.nio.file.Path;
import java.util.Optional;

/** Where an arrived drive can be read: the local datacenter's stand-in for plugging the drive in. */
public interface DriveDock {

  Optional<Path> folderOf(String importJob, String driveId);
}

package io.seedship.workers.diskprep;

/** Receives progress (the command line draws a bar, the task handler extends its lock). */
public interface DiskPrepListener {

  DiskPrepListener NONE = p -> { };

  void progress(DiskPrepProgress progress);
}

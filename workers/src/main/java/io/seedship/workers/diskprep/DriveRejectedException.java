package io.seedship.workers.diskprep;

/** A drive the service would not accept, or that may not be written: nothing was written to it (BPMN error DRIVE_REJECTED). */
public class DriveRejectedException extends DiskPrepException {

  public DriveRejectedException(String message) {
    super(message);
  }

  public DriveRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.seedship.workers.diskprep;

/** The drive cannot hold even the smallest file still to copy (files do not span drives). */
public class DriveTooSmallException extends DriveRejectedException {

  public DriveTooSmallException(String message) {
    super(message);
  }

  public DriveTooSmallException(String message, Throwable cause) {
    super(message, cause);
  }
}

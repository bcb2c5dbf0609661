package io.seedship.workers.diskprep;

/** A journal record was changed, removed, reordered, or bytes were appended after the seal. */
public class JournalTamperedException extends DriveIntegrityException {

  public JournalTamperedException(String message) {
    super(message);
  }

  public JournalTamperedException(String message, Throwable cause) {
    super(message, cause);
  }
}

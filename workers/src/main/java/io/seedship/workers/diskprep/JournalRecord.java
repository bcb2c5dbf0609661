package io.seedship.workers.diskprep;

/** One record of a drive's journal (docs/drive-format.md §5); text form is tab-separated. */
sealed interface JournalRecord {

  String text();

  /** First record: the drive was opened for this job as its n-th drive. */
  record Open(String importJob, String driveId, int sequence, long epochMillis) implements JournalRecord {
    @Override
    public String text() {
      return "OPEN\t" + importJob + "\t" + driveId + "\t" + sequence + "\t" + epochMillis;
    }
  }

  /**
   * A data file was written completely and forced to disk (drive format 2: no hash here; the write pass does
   * not hash, the verify pass compares the file with the staged one and puts its hashes in the manifest).
   */
  record FileWritten(int index, long size, long storedSize, String path) implements JournalRecord {
    @Override
    public String text() {
      return "FILE\t" + index + "\t" + size + "\t" + storedSize + "\t" + path;
    }
  }

  /** The drive was verified and its manifest written: ready to ship. */
  record Sealed(String manifestSha256, int files, long bytes) implements JournalRecord {
    @Override
    public String text() {
      return "SEALED\t" + manifestSha256 + "\t" + files + "\t" + bytes;
    }
  }

  static JournalRecord parse(String text) {
    String[] f = text.split("\t", -1);
    switch (f[0]) {
      case "OPEN":
        require(f, 5);
        return new Open(f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]));
      case "FILE":
        require(f, 5);
        return new FileWritten(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]);
      case "SEALED":
        require(f, 4);
        return new Sealed(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]));
      default:
        throw new IllegalArgumentException("unknown journal record type " + f[0]);
    }
  }

  private static void require(String[] fields, int count) {
    if (fields.length != count) {
      throw new IllegalArgumentException(fields[0] + " record with " + fields.length + " fields");
    }
  }
}

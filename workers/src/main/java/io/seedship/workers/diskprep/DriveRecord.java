package io.seedship.workers.diskprep;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the key store remembers of one drive of an import job, and what the import needs: drive id,
 * manifest hash and where its unlock secret is (docs/drive-format.md §7). Holds no secret.
 */
public record DriveRecord(String importJob, String driveId, int sequence, State state, String manifestSha256, int files,
                          long bytes, long storedBytes, List<Integer> fileIndexes, String unlockSecretRef, String mount,
                          DriveDescriptor.Bus bus, DriveDescriptor.Media media, String describedBy, Instant sealedAt) {

  /** OPEN while being written (or interrupted); SEALED once verified and its manifest written. */
  public enum State { OPEN, SEALED }

  public DriveRecord {
    fileIndexes = List.copyOf(fileIndexes);
  }

  static DriveRecord open(String importJob, String driveId, int sequence, DriveDescriptor drive) {
    return new DriveRecord(importJob, driveId, sequence, State.OPEN, null, 0, 0, 0, List.of(), driveId + ".recovery",
        drive.folder().toAbsolutePath().toString(), drive.bus(), drive.media(), drive.describedBy(), null);
  }

  DriveRecord sealed(String manifestSha256, List<Integer> indexes, long bytes, long storedBytes) {
    return new DriveRecord(importJob, driveId, sequence, State.SEALED, manifestSha256, indexes.size(), bytes, storedBytes,
        indexes, unlockSecretRef, mount, bus, media, describedBy, Instant.now());
  }

  DriveRecord at(String newMount) {
    return new DriveRecord(importJob, driveId, sequence, state, manifestSha256, files, bytes, storedBytes, fileIndexes,
        unlockSecretRef, newMount, bus, media, describedBy, sealedAt);
  }

  String serialize() {
    Properties p = new Properties();
    p.setProperty("importJob", importJob);
    p.setProperty("driveId", driveId);
    p.setProperty("sequence", Integer.toString(sequence));
    p.setProperty("state", state.name());
    if (manifestSha256 != null) {
      p.setProperty("manifestSha256", manifestSha256);
    }
    p.setProperty("files", Integer.toString(files));
    p.setProperty("bytes", Long.toString(bytes));
    p.setProperty("storedBytes", Long.toString(storedBytes));
    p.setProperty("fileIndexes", ranges(fileIndexes));
    p.setProperty("unlockSecretRef", unlockSecretRef);
    p.setProperty("mount", mount);
    p.setProperty("bus", bus.name());
    p.setProperty("media", media.name());
    p.setProperty("describedBy", describedBy);
    if (sealedAt != null) {
      p.setProperty("sealedAt", sealedAt.toString());
    }
    StringWriter text = new StringWriter();
    try {
      p.store(text, "Seedship drive record (no secret), docs/drive-format.md section 7");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  static DriveRecord parse(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    String manifest = p.getProperty("manifestSha256");
    String sealedAt = p.getProperty("sealedAt");
    return new DriveRecord(p.getProperty("importJob"), p.getProperty("driveId"), Integer.parseInt(p.getProperty("sequence")),
        State.valueOf(p.getProperty("state")), manifest, Integer.parseInt(p.getProperty("files")),
        Long.parseLong(p.getProperty("bytes")), Long.parseLong(p.getProperty("storedBytes")),
        parseRanges(p.getProperty("fileIndexes", "")), p.getProperty("unlockSecretRef"), p.getProperty("mount"),
        DriveDescriptor.Bus.valueOf(p.getProperty("bus")), DriveDescriptor.Media.valueOf(p.getProperty("media")),
        p.getProperty("describedBy"), sealedAt == null ? null : Instant.parse(sealedAt));
  }

  /** 0-14,17,20-33: sorted indexes as ranges. */
  static String ranges(List<Integer> sorted) {
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(sorted.get(i));
      if (j > i) {
        text.append('-').append(sorted.get(j));
      }
      i = j + 1;
    }
    return text.toString();
  }

  static List<Integer> parseRanges(String text) {
    List<Integer> indexes = new ArrayList<>();
    if (text.isBlank()) {
      return indexes;
    }
    for (String part : text.split(",")) {
      String[] bounds = part.split("-");
      int from = Integer.parseInt(bounds[0]);
      int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
      for (int k = from; k <= to; k++) {
        indexes.add(k);
      }
    }
    return indexes;
  }
}

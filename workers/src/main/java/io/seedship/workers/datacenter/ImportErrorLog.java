package io.seedship.workers.datacenter;

import java.util.ArrayList;
import java.util.List;

/**
 * A drive's error log (docs/datacenter.md §4): tab-separated lines, one per drive-level or file-level failure.
 * Written by the import, read by {@link RepairImport}.
 */
public record ImportErrorLog(String jobId, String driveId, DriveState state, List<DriveError> driveErrors,
                             List<FileError> fileErrors) {

  public enum FileProblem { Corrupted, Missing, NotRead, UploadFailed }

  public record DriveError(String driveId, DriveState cause, String message) {
  }

  public record FileError(String blobName, FileProblem problem, String message) {
  }

  public ImportErrorLog {
    driveErrors = List.copyOf(driveErrors);
    fileErrors = List.copyOf(fileErrors);
  }

  public static String blobName(String jobId, String driveId) {
    return "waimportexport/" + jobId + "/" + driveId + "_error.log";
  }

  public static String verboseBlobName(String jobId, String driveId) {
    return "waimportexport/" + jobId + "/" + driveId + "_verbose.log";
  }

  public String text() {
    StringBuilder text = new StringBuilder("# seedship import error log v1 job=" + jobId + " drive=" + driveId + " state=" + state
        + "\n");
    for (DriveError e : driveErrors) {
      text.append("DRIVE\t").append(e.driveId()).append('\t').append(e.cause()).append('\t').append(oneLine(e.message())).append('\n');
    }
    for (FileError e : fileErrors) {
      text.append("FILE\t").append(e.blobName()).append('\t').append(e.problem()).append('\t').append(oneLine(e.message()))
          .append('\n');
    }
    return text.toString();
  }

  public static ImportErrorLog parse(String text) {
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].startsWith("# seedship import error log v1 ")) {
      throw new IllegalArgumentException("Not a Seedship import error log (first line: " + (lines.length == 0 ? "" : lines[0])
          + ").");
    }
    String jobId = field(lines[0], "job");
    String driveId = field(lines[0], "drive");
    DriveState state = DriveState.valueOf(field(lines[0], "state"));
    List<DriveError> drives = new ArrayList<>();
    List<FileError> files = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] f = lines[i].split("\t", 4);
      if (f.length != 4) {
        throw new IllegalArgumentException("Error log line " + (i + 1) + " of drive " + driveId + " has " + f.length
            + " fields instead of 4.");
      }
      switch (f[0]) {
        case "DRIVE" -> drives.add(new DriveError(f[1], DriveState.valueOf(f[2]), f[3]));
        case "FILE" -> files.add(new FileError(f[1], FileProblem.valueOf(f[2]), f[3]));
        default -> throw new IllegalArgumentException("Error log line " + (i + 1) + " of drive " + driveId
            + " starts with " + f[0] + ", not DRIVE or FILE.");
      }
    }
    return new ImportErrorLog(jobId, driveId, state, drives, files);
  }

  private static String field(String header, String name) {
    for (String part : header.split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("The error log header lacks " + name + "=: " + header);
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}

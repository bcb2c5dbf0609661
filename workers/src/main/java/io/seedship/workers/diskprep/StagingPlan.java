package io.seedship.workers.diskprep;

import java.util.ArrayList;
import java.util.List;

/** The ordered list of staged files an import job copies (docs/drive-format.md §2). */
public record StagingPlan(List<PlannedFile> files) {

  public StagingPlan {
    files = List.copyOf(files);
  }

  public long totalBytes() {
    return files.stream().mapToLong(PlannedFile::size).sum();
  }

  PlannedFile file(int index) {
    return files.get(index);
  }

  String serialize() {
    StringBuilder text = new StringBuilder();
    for (PlannedFile f : files) {
      text.append(f.index()).append('\t').append(f.size()).append('\t').append(f.path()).append('\n');
    }
    return text.toString();
  }

  static StagingPlan parse(String text) {
    List<PlannedFile> files = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", 3);
      int index = Integer.parseInt(f[0]);
      if (index != files.size() || f.length != 3) {
        throw new IllegalArgumentException("plan line " + files.size() + " is malformed");
      }
      files.add(new PlannedFile(index, f[2], Long.parseLong(f[1])));
    }
    return new StagingPlan(files);
  }
}

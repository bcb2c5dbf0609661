package io.seedship.workers.diskprep;

import java.util.List;

/** A file on a drive as the manifest lists it: plan index, path, size, SHA-256, MD5 per 4 MiB block. */
public record ManifestEntry(int index, String path, long size, String sha256, List<String> blockMd5s) {

  public ManifestEntry {
    blockMd5s = List.copyOf(blockMd5s);
  }
}

package io.seedship.workers.diskprep;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;

/** The drive manifest (docs/drive-format.md §4): every file with size, SHA-256 and per-block MD5, sealed. */
public record DriveManifest(String importJob, String driveId, int sequence, List<ManifestEntry> entries) {

  private static final String MAGIC = "seedship-drive-manifest\t1";

  public DriveManifest {
    entries = List.copyOf(entries);
  }

  public long bytes() {
    return entries.stream().mapToLong(ManifestEntry::size).sum();
  }

  String text() {
    StringBuilder text = new StringBuilder(128 + entries.size() * 160);
    text.append(MAGIC).append('\n');
    text.append("job\t").append(importJob).append('\n');
    text.append("drive\t").append(driveId).append('\n');
    text.append("sequence\t").append(sequence).append('\n');
    text.append("blockSize\t").append(Block.SIZE).append('\n');
    for (ManifestEntry e : entries) {
      text.append("file\t").append(e.index()).append('\t').append(e.size()).append('\t').append(e.sha256()).append('\t')
          .append(e.blockMd5s().isEmpty() ? "-" : String.join(",", e.blockMd5s())).append('\t').append(e.path()).append('\n');
    }
    text.append("end\t").append(entries.size()).append('\t').append(bytes()).append('\n');
    return text.toString();
  }

  static DriveManifest parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 7 || !lines[0].equals(MAGIC) || !lines[lines.length - 1].isEmpty()) {
      throw new IllegalArgumentException("not a version 1 drive manifest");
    }
    String job = field(lines[1], "job");
    String drive = field(lines[2], "drive");
    int sequence = Integer.parseInt(field(lines[3], "sequence"));
    if (Integer.parseInt(field(lines[4], "blockSize")) != Block.SIZE) {
      throw new IllegalArgumentException("unsupported block size");
    }
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 5; i < lines.length - 2; i++) {
      String[] f = lines[i].split("\t", 6);
      if (f.length != 6 || !f[0].equals("file")) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not a file line");
      }
      List<String> md5s = f[4].equals("-") ? List.of() : Arrays.asList(f[4].split(","));
      entries.add(new ManifestEntry(Integer.parseInt(f[1]), f[5], Long.parseLong(f[2]), f[3], md5s));
    }
    DriveManifest manifest = new DriveManifest(job, drive, sequence, entries);
    String[] end = lines[lines.length - 2].split("\t");
    if (end.length != 3 || !end[0].equals("end") || Integer.parseInt(end[1]) != entries.size()
        || Long.parseLong(end[2]) != manifest.bytes()) {
      throw new IllegalArgumentException("the end line does not match the file lines");
    }
    return manifest;
  }

  /** The manifest as stored: a sealed file (the data-file format with the manifest's AAD domain, index 0). */
  byte[] seal(byte[] volumeKey, SecureRandom random) {
    byte[] plain = text().getBytes(StandardCharsets.UTF_8);
    ChunkAead aead = new ChunkAead(volumeKey);
    byte[] aad = ChunkAead.aadFor(ChunkAead.MANIFEST_DOMAIN, new DriveContext(importJob, driveId), 0);
    byte[] out = new byte[(int) ChunkAead.storedLength(plain.length)];
    byte[] baseNonce = new byte[ChunkAead.NONCE];
    random.nextBytes(baseNonce);
    System.arraycopy(ChunkAead.FILE_MAGIC, 0, out, 0, ChunkAead.FILE_MAGIC.length);
    System.arraycopy(baseNonce, 0, out, ChunkAead.FILE_MAGIC.length, ChunkAead.NONCE);
    long chunks = ChunkAead.chunkCount(plain.length);
    int written = ChunkAead.FILE_HEADER;
    for (long c = 0; c < chunks; c++) {
      int from = (int) (c * ChunkAead.CHUNK);
      int length = Math.min(ChunkAead.CHUNK, plain.length - from);
      written += aead.seal(baseNonce, aad, c, c == chunks - 1, plain, from, length, out, written);
    }
    return out;
  }

  /** Opens a stored manifest of the given drive; any changed byte fails. */
  static DriveManifest open(byte[] stored, byte[] volumeKey, DriveContext context) throws AEADBadTagException {
    if (stored.length < ChunkAead.FILE_HEADER + ChunkAead.TAG
        || !Arrays.equals(Arrays.copyOf(stored, ChunkAead.FILE_MAGIC.length), ChunkAead.FILE_MAGIC)) {
      throw new AEADBadTagException("manifest header");
    }
    byte[] baseNonce = Arrays.copyOfRange(stored, ChunkAead.FILE_MAGIC.length, ChunkAead.FILE_HEADER);
    int body = stored.length - ChunkAead.FILE_HEADER;
    long chunks = Math.max(1, (body + ChunkAead.CHUNK + ChunkAead.TAG - 1) / (ChunkAead.CHUNK + ChunkAead.TAG));
    byte[] plain = new byte[(int) (body - chunks * ChunkAead.TAG)];
    if (plain.length < 0) {
      throw new AEADBadTagException("manifest length");
    }
    ChunkAead aead = new ChunkAead(volumeKey);
    byte[] aad = ChunkAead.aadFor(ChunkAead.MANIFEST_DOMAIN, context, 0);
    int read = ChunkAead.FILE_HEADER;
    int out = 0;
    for (long c = 0; c < chunks; c++) {
      int length = Math.min(ChunkAead.CHUNK, plain.length - out) + ChunkAead.TAG;
      out += aead.open(baseNonce, aad, c, c == chunks - 1, stored, read, length, plain, out);
      read += length;
    }
    DriveManifest manifest = parse(new String(plain, StandardCharsets.UTF_8));
    if (!manifest.importJob().equals(context.importJob()) || !manifest.driveId().equals(context.driveId())) {
      throw new IllegalArgumentException("the manifest names another job or drive");
    }
    return manifest;
  }

  static String hash(byte[] stored) {
    return HexFormat.of().formatHex(FileEncryptor.sha256().digest(stored));
  }

  private static String field(String line, String name) {
    String[] f = line.split("\t", 2);
    if (f.length != 2 || !f[0].equals(name)) {
      throw new IllegalArgumentException("expected the " + name + " line");
    }
    return f[1];
  }
}

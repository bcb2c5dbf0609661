package io.seedship.workers.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 and MD5 of a whole file and the MD5 of each upload block, from one read. */
public record FileDigest(long size, String sha256, byte[] md5, List<String> blockMd5s) {

  public FileDigest {
    md5 = md5.clone();
    blockMd5s = List.copyOf(blockMd5s);
  }

  @Override
  public byte[] md5() {
    return md5.clone();
  }

  public static FileDigest of(Path file, int blockSize) throws IOException {
    MessageDigest sha = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    MessageDigest blockMd5 = digest("MD5");
    List<String> blocks = new ArrayList<>();
    byte[] block = new byte[blockSize];
    long size = 0;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      int length;
      while ((length = readBlock(in, block)) > 0) {
        sha.update(block, 0, length);
        md5.update(block, 0, length);
        blockMd5.update(block, 0, length);
        blocks.add(HexFormat.of().formatHex(blockMd5.digest()));
        size += length;
      }
    }
    return new FileDigest(size, HexFormat.of().formatHex(sha.digest()), md5.digest(), blocks);
  }

  /** Fills {@code block} as far as the file allows; returns the bytes read (0 at the end). */
  static int readBlock(FileChannel in, byte[] block) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(block);
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        break;
      }
    }
    return buffer.position();
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}

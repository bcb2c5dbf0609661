package io.seedship.workers.repository;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serialises tree records and cuts them into content-defined tree chunks (docs §6). */
final class TreeWriter {

  /** Receives a finished tree chunk; returns its id. */
  interface ChunkSink {
    ChunkId store(byte[] data, int length) throws IOException, InterruptedException;
  }

  private static final int MIN_CHUNK = 64 * 1024;
  private static final int MAX_CHUNK = 4 * 1024 * 1024;

  private final ChunkSink sink;
  private final Buffer buffer = new Buffer();
  private final DataOutputStream out = new DataOutputStream(buffer);
  private final List<ChunkId> chunks = new ArrayList<>();

  TreeWriter(ChunkSink sink) {
    this.sink = sink;
  }

  void add(TreeNode node) throws IOException, InterruptedException {
    node.writeTo(out);
    boolean boundary = (node.path().hashCode() * 0x9E3779B9 >>> 26) == 0;
    if ((buffer.size() >= MIN_CHUNK && boundary) || buffer.size() >= MAX_CHUNK) {
      flush();
    }
  }

  List<ChunkId> finish() throws IOException, InterruptedException {
    if (buffer.size() > 0) {
      flush();
    }
    return List.copyOf(chunks);
  }

  private void flush() throws IOException, InterruptedException {
    chunks.add(sink.store(buffer.bytes(), buffer.size()));
    buffer.reset();
  }

  private static final class Buffer extends ByteArrayOutputStream {
    byte[] bytes() {
      return buf;
    }
  }
}

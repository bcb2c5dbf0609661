package io.seedship.workers.repository;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Streams a snapshot's tree records chunk by chunk; holds one tree chunk in memory at a time. */
public final class TreeStream implements Iterator<TreeNode>, AutoCloseable {

  private final List<ChunkId> chunks;
  private final ChunkReader reader;
  private int nextChunk;
  private DataInputStream current;
  private TreeNode next;

  TreeStream(List<ChunkId> chunks, ChunkReader reader) {
    this.chunks = chunks;
    this.reader = reader;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public TreeNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    TreeNode node = next;
    next = null;
    return node;
  }

  private TreeNode advance() {
    try {
      while (current == null || current.available() == 0) {
        if (nextChunk == chunks.size()) {
          return null;
        }
        ChunkId id = chunks.get(nextChunk++);
        current = new DataInputStream(new ByteArrayInputStream(reader.read(id)));
      }
      return TreeNode.readFrom(current);
    } catch (IOException e) {
      throw new ChunkCorruptedException("A tree chunk cannot be parsed (" + e.getMessage() + "): report this as a Seedship bug.", e);
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}

package io.seedship.workers.repository;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A finished backup: the root of its tree and what it holds (docs §6). */
public record Snapshot(RandomId id, Instant time, String host, String source, List<String> tags, String parent,
                       long files, long directories, long symlinks, long bytes, List<String> warnings,
                       List<ChunkId> treeChunks) {

  static final int MAX_WARNINGS = 1000;

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  byte[] serialize() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(content);
    out.writeByte(PackFormat.VERSION);
    out.writeLong(time.toEpochMilli());
    out.writeUTF(host);
    out.writeUTF(source);
    out.writeInt(tags.size());
    for (String tag : tags) {
      out.writeUTF(tag);
    }
    out.writeUTF(parent == null ? "" : parent);
    out.writeLong(files);
    out.writeLong(directories);
    out.writeLong(symlinks);
    out.writeLong(bytes);
    out.writeInt(warnings.size());
    for (String warning : warnings) {
      out.writeUTF(warning.length() > 2000 ? warning.substring(0, 2000) : warning);
    }
    out.writeInt(treeChunks.size());
    for (ChunkId chunk : treeChunks) {
      out.write(chunk.bytes());
    }
    return content.toByteArray();
  }

  static Snapshot deserialize(RandomId id, byte[] plain) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
    if (in.readByte() != PackFormat.VERSION) {
      throw new IOException("unknown snapshot version");
    }
    Instant time = Instant.ofEpochMilli(in.readLong());
    String host = in.readUTF();
    String source = in.readUTF();
    List<String> tags = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      tags.add(in.readUTF());
    }
    String parent = in.readUTF();
    long files = in.readLong();
    long dirs = in.readLong();
    long links = in.readLong();
    long bytes = in.readLong();
    List<String> warnings = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      warnings.add(in.readUTF());
    }
    List<ChunkId> tree = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      byte[] chunk = new byte[ChunkId.LENGTH];
      in.readFully(chunk);
      tree.add(new ChunkId(chunk));
    }
    return new Snapshot(id, time, host, source, List.copyOf(tags), parent.isEmpty() ? null : parent, files, dirs, links,
        bytes, List.copyOf(warnings), List.copyOf(tree));
  }
}

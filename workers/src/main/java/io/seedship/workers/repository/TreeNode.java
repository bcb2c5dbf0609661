package io.seedship.workers.repository;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One backed-up entry of a snapshot's tree (docs §6). {@code path} is relative, "/"-separated, "" for the root. */
public record TreeNode(Type type, String path, int mode, int uid, int gid, long mtimeNanos, long ctimeNanos, long inode,
                       long size, String linkTarget, byte[] fileHash, List<ChunkId> chunks) {

  /** The kinds of entries a tree holds. */
  public enum Type { FILE, DIRECTORY, SYMLINK }

  /** Whether a file may be taken over from the parent snapshot without reading it. */
  boolean unchangedSince(TreeNode parent) {
    return parent != null && parent.type == Type.FILE && type == Type.FILE && parent.size == size
        && parent.mtimeNanos == mtimeNanos && parent.ctimeNanos == ctimeNanos && parent.inode == inode;
  }

  TreeNode withContent(byte[] hash, List<ChunkId> content, long actualSize) {
    return new TreeNode(type, path, mode, uid, gid, mtimeNanos, ctimeNanos, inode, actualSize, linkTarget, hash, content);
  }

  public String fileHashHex() {
    return fileHash == null ? "" : Hex.of(fileHash);
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeByte(type.ordinal());
    writeString(out, path);
    out.writeInt(mode);
    out.writeInt(uid);
    out.writeInt(gid);
    out.writeLong(mtimeNanos);
    out.writeLong(ctimeNanos);
    out.writeLong(inode);
    out.writeLong(size);
    writeString(out, linkTarget == null ? "" : linkTarget);
    out.write(fileHash == null ? new byte[32] : fileHash);
    out.writeInt(chunks.size());
    for (ChunkId chunk : chunks) {
      out.write(chunk.bytes());
    }
  }

  static TreeNode readFrom(DataInputStream in) throws IOException {
    int typeIndex = in.readUnsignedByte();
    if (typeIndex >= Type.values().length) {
      throw new IOException("unknown entry type " + typeIndex);
    }
    Type type = Type.values()[typeIndex];
    String path = readString(in);
    int mode = in.readInt();
    int uid = in.readInt();
    int gid = in.readInt();
    long mtime = in.readLong();
    long ctime = in.readLong();
    long inode = in.readLong();
    long size = in.readLong();
    String link = readString(in);
    byte[] hash = new byte[32];
    in.readFully(hash);
    int count = in.readInt();
    if (count < 0 || count > (1 << 26)) {
      throw new IOException("implausible chunk count " + count);
    }
    List<ChunkId> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] id = new byte[ChunkId.LENGTH];
      in.readFully(id);
      chunks.add(new ChunkId(id));
    }
    return new TreeNode(type, path, mode, uid, gid, mtime, ctime, inode, size, type == Type.SYMLINK ? link : null,
        type == Type.FILE ? hash : null, List.copyOf(chunks));
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 20) {
      throw new IOException("implausible string length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeNode n && type == n.type && path.equals(n.path) && mode == n.mode && size == n.size
        && mtimeNanos == n.mtimeNanos && Arrays.equals(fileHash, n.fileHash) && chunks.equals(n.chunks);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return type + " " + path + " (" + size + " bytes)";
  }
}

package io.seedship.workers.vault;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import io.seedship.workers.repository.PackMissingException;
import io.seedship.workers.repository.PackSource;
import io.seedship.workers.repository.PackStore;
import io.seedship.workers.repository.PackTruncatedException;
import io.seedship.workers.repository.RandomId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs as blobs {@code <prefix>data/xx/<pack-id>} (docs/vault.md §5): one Get Blob Properties per pack opened (none
 * for a pack in the listing given with {@link #useListing}), then one ranged Get Blob per read, written straight into the caller's array. Storage errors other than a
 * missing or short pack propagate as they are, so a network failure is never mistaken for damage.
 */
public final class BlobPackStore implements PackStore {

  private final BlobContainerClient container;
  private final String prefix;
  private volatile Map<String, RemoteFile> listing = Map.of();
  private final ReadCache cache;

  public BlobPackStore(BlobContainerClient container, String prefix) {
    this(container, prefix, 0);
  }

  private BlobPackStore(BlobContainerClient container, String prefix, long cacheBytes) {
    this.container = container;
    this.prefix = prefix;
    this.cache = cacheBytes > 0 ? new ReadCache(cacheBytes) : null;
  }

  /**
   * The same store keeping the bytes of its last reads, up to {@code bytes} in all (each read at most a quarter of
   * it), and answering a read of exactly the same range of the same pack from them: a backup reads the parent's tree
   * chunks twice. Packs are write-once, and the engine authenticates every chunk it reads whatever the source.
   */
  BlobPackStore withReadCache(long bytes) {
    BlobPackStore store = new BlobPackStore(container, prefix, bytes);
    store.listing = listing;
    return store;
  }

  /**
   * A listing of the prefix taken by the caller (relative names): a pack it lists is opened with the listed length
   * instead of a Get Blob Properties. Packs are write-once, so a listed length stays right.
   */
  void useListing(Map<String, RemoteFile> remote) {
    listing = Map.copyOf(remote);
  }

  @Override
  public PackSource open(RandomId pack) {
    BlobClient blob = container.getBlobClient(prefix + RepositoryFiles.pack(pack));
    RemoteFile listed = listing.get(RepositoryFiles.pack(pack));
    if (listed != null) {
      return new BlobSource(pack, blob, listed.size(), describe(pack), cache);
    }
    long length;
    try {
      length = blob.getProperties().getBlobSize();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        throw new PackMissingException("Pack " + pack + " is missing from the vault (" + describe(pack) + "). Copy it back from "
            + "another copy of the repository, or run verify to see which files are affected.", e);
      }
      throw e;
    }
    return new BlobSource(pack, blob, length, describe(pack), cache);
  }

  @Override
  public List<RandomId> list() {
    List<RandomId> packs = new ArrayList<>();
    for (String name : BlobFiles.list(container, prefix + "data/").keySet()) {
      String full = "data/" + name;
      if (RepositoryFiles.isPack(full)) {
        packs.add(RandomId.parse(RepositoryFiles.idOf(full)));
      }
    }
    return packs;
  }

  @Override
  public String describe(RandomId pack) {
    return "blob " + container.getBlobContainerName() + "/" + prefix + RepositoryFiles.pack(pack);
  }

  private static final class BlobSource implements PackSource {
    private final RandomId pack;
    private final BlobClient blob;
    private final long length;
    private final String where;
    private final ReadCache cache;

    BlobSource(RandomId pack, BlobClient blob, long length, String where, ReadCache cache) {
      this.pack = pack;
      this.blob = blob;
      this.length = length;
      this.where = where;
      this.cache = cache;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void readFully(long position, byte[] into, int offset, int count) throws IOException {
      if (count == 0) {
        return;
      }
      if (position + count > length) {
        throw new PackTruncatedException("Pack " + pack + " (" + where + ") is truncated: it has " + length + " bytes, a read needs "
            + (position + count) + ". Copy the complete pack back from another copy of the repository.");
      }
      String key = pack.hex() + ":" + position + ":" + count;
      if (cache != null && cache.copy(key, into, offset, count)) {
        return;
      }
      ArraySink sink = new ArraySink(into, offset, count);
      try {
        blob.downloadStreamWithResponse(sink, new BlobRange(position, (long) count), BlobFiles.RETRIES, null, false, null, Context.NONE);
      } catch (BlobStorageException e) {
        if (e.getStatusCode() == 404) {
          throw new PackMissingException("Pack " + pack + " vanished from the vault (" + where + ") while it was being read.", e);
        }
        if (e.getStatusCode() == 416) {
          throw new PackTruncatedException("Pack " + pack + " (" + where + ") is shorter than " + (position + count) + " bytes.", e);
        }
        throw e;
      } catch (RuntimeException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
      if (sink.written != count) {
        throw new PackTruncatedException("Pack " + pack + " (" + where + ") is truncated: " + sink.written + " of " + count
            + " bytes arrived at offset " + position + ". Copy the complete pack back from another copy of the repository.");
      }
      if (cache != null) {
        cache.keep(key, into, offset, count);
      }
    }

    @Override
    public String describe() {
      return where;
    }

    @Override
    public void close() {
      // nothing held between requests
    }
  }

  /** The bytes of the last reads, least recently used dropped first, bounded in bytes. */
  private static final class ReadCache {
    private final long capacity;
    private final java.util.LinkedHashMap<String, byte[]> reads = new java.util.LinkedHashMap<>(64, 0.75f, true);
    private long held;

    ReadCache(long capacity) {
      this.capacity = capacity;
    }

    synchronized boolean copy(String key, byte[] into, int offset, int count) {
      byte[] bytes = reads.get(key);
      if (bytes == null) {
        return false;
      }
      System.arraycopy(bytes, 0, into, offset, count);
      return true;
    }

    synchronized void keep(String key, byte[] from, int offset, int count) {
      if (count > capacity / 4 || reads.containsKey(key)) {
        return;
      }
      reads.put(key, java.util.Arrays.copyOfRange(from, offset, offset + count));
      held += count;
      java.util.Iterator<byte[]> oldest = reads.values().iterator();
      while (held > capacity && oldest.hasNext()) {
        held -= oldest.next().length;
        oldest.remove();
      }
    }
  }

  /** Receives a ranged download directly in the caller's array; refuses more bytes than asked for. */
  private static final class ArraySink extends OutputStream {
    private final byte[] into;
    private final int offset;
    private final int capacity;
    int written;

    ArraySink(byte[] into, int offset, int capacity) {
      this.into = into;
      this.offset = offset;
      this.capacity = capacity;
    }

    @Override
    public void write(int b) throws IOException {
      if (written >= capacity) {
        throw new IOException("the service sent more bytes than the range asked for");
      }
      into[offset + written++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > capacity - written) {
        throw new IOException("the service sent more bytes than the range asked for");
      }
      System.arraycopy(b, off, into, offset + written, len);
      written += len;
    }
  }
}

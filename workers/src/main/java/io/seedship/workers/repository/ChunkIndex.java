package io.seedship.workers.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory index: an open-addressing table over flat arrays, 56 bytes per chunk at most
 * (docs §5) instead of ~150 for a HashMap of objects. Thread-safe.
 */
final class ChunkIndex {

  private static final int TREE_FLAG = 0x8000_0000;

  private final List<RandomId> packs = new ArrayList<>();
  private final Map<RandomId, Integer> packNumbers = new HashMap<>();
  private long[] packLengths = new long[64];
  private long[] ids = new long[4 * 1024];
  private int[] packAndType = new int[1024];
  private int[] offsets = new int[1024];
  private int[] storedLengths = new int[1024];
  private int[] rawLengths = new int[1024];
  private int[] slots = new int[2048];
  private int size;

  synchronized int size() {
    return size;
  }

  synchronized int packCount() {
    return packs.size();
  }

  synchronized boolean containsPack(RandomId pack) {
    return packNumbers.containsKey(pack);
  }

  synchronized List<RandomId> packs() {
    return List.copyOf(packs);
  }

  synchronized long packLength(RandomId pack) {
    Integer number = packNumbers.get(pack);
    return number == null ? -1 : packLengths[number];
  }

  synchronized void addPack(PackSummary pack) {
    if (packNumbers.containsKey(pack.id())) {
      return;
    }
    int number = packs.size();
    packs.add(pack.id());
    packNumbers.put(pack.id(), number);
    if (number == packLengths.length) {
      packLengths = Arrays.copyOf(packLengths, number * 2);
    }
    packLengths[number] = pack.length();
    for (PackEntry entry : pack.entries()) {
      if (find(entry.id().bytes()) < 0) {
        append(number, entry);
      }
    }
  }

  synchronized boolean contains(ChunkId id) {
    return find(id.bytes()) >= 0;
  }

  synchronized ChunkLocation locate(ChunkId id) {
    int entry = find(id.bytes());
    if (entry < 0) {
      return null;
    }
    int pack = packAndType[entry] & ~TREE_FLAG;
    byte type = (packAndType[entry] & TREE_FLAG) != 0 ? PackEntry.TREE : PackEntry.DATA;
    return new ChunkLocation(id, packs.get(pack), packLengths[pack], type, offsets[entry], storedLengths[entry], rawLengths[entry]);
  }

  /** Entries with the given stored length: the candidates when looking for a swapped chunk. */
  synchronized List<ChunkLocation> withStoredLength(int storedLength) {
    List<ChunkLocation> found = new ArrayList<>();
    for (int e = 0; e < size; e++) {
      if (storedLengths[e] == storedLength) {
        found.add(locate(new ChunkId(idBytes(e))));
      }
    }
    return found;
  }

  private void append(int pack, PackEntry entry) {
    if (size == packAndType.length) {
      int capacity = size * 2;
      ids = Arrays.copyOf(ids, capacity * 4);
      packAndType = Arrays.copyOf(packAndType, capacity);
      offsets = Arrays.copyOf(offsets, capacity);
      storedLengths = Arrays.copyOf(storedLengths, capacity);
      rawLengths = Arrays.copyOf(rawLengths, capacity);
    }
    byte[] id = entry.id().bytes();
    for (int w = 0; w < 4; w++) {
      ids[size * 4 + w] = word(id, w);
    }
    packAndType[size] = pack | (entry.type() == PackEntry.TREE ? TREE_FLAG : 0);
    offsets[size] = entry.offset();
    storedLengths[size] = entry.storedLength();
    rawLengths[size] = entry.rawLength();
    size++;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    } else {
      insertSlot(size - 1);
    }
  }

  private int find(byte[] id) {
    long w0 = word(id, 0);
    long w1 = word(id, 1);
    long w2 = word(id, 2);
    long w3 = word(id, 3);
    int mask = slots.length - 1;
    for (int s = (int) (w0 ^ w0 >>> 32) & mask; ; s = (s + 1) & mask) {
      int entry = slots[s] - 1;
      if (entry < 0) {
        return -1;
      }
      int at = entry * 4;
      if (ids[at] == w0 && ids[at + 1] == w1 && ids[at + 2] == w2 && ids[at + 3] == w3) {
        return entry;
      }
    }
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int e = 0; e < size; e++) {
      insertSlot(e);
    }
  }

  private void insertSlot(int entry) {
    long w0 = ids[entry * 4];
    int mask = slots.length - 1;
    int s = (int) (w0 ^ w0 >>> 32) & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = entry + 1;
  }

  private byte[] idBytes(int entry) {
    byte[] id = new byte[ChunkId.LENGTH];
    for (int w = 0; w < 4; w++) {
      long value = ids[entry * 4 + w];
      for (int b = 0; b < 8; b++) {
        id[w * 8 + b] = (byte) (value >>> (56 - 8 * b));
      }
    }
    return id;
  }

  private static long word(byte[] id, int w) {
    long value = 0;
    for (int b = 0; b < 8; b++) {
      value = value << 8 | (id[w * 8 + b] & 0xff);
    }
    return value;
  }
}

package io.seedship.workers.repository;

/** One blob of a pack: what it is, where it is, how long it is stored and unpacked. */
record PackEntry(byte type, ChunkId id, int offset, int storedLength, int rawLength) {

  static final byte DATA = 0;
  static final byte TREE = 1;
  static final int SERIALIZED_LENGTH = 1 + ChunkId.LENGTH + 4 + 4 + 4;
}

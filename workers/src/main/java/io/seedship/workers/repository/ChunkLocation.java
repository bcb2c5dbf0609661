package io.seedship.workers.repository;

/** Where a chunk is stored: pack, its expected length, and the blob inside it. */
record ChunkLocation(ChunkId id, RandomId pack, long packLength, byte type, int offset, int storedLength, int rawLength) {
}

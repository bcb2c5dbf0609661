package io.seedship.workers.vault;

/** A blob as listed: its name relative to the listing's prefix, length, and checksums when it carries them. */
record RemoteFile(String name, long size, String sha256, byte[] md5) {
}

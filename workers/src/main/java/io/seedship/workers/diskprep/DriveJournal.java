package io.seedship.workers.diskprep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The drive's append-only journal: one AES-GCM record per line, each chained to the previous record's
 * tag, forced to disk after every append (docs/drive-format.md §5).
 */
final class DriveJournal implements AutoCloseable {

  private static final String AAD_DOMAIN = "seedship-drive-journal-v1";
  private static final int TAG = 16;

  private final Path file;
  private final DriveContext context;
  private final SecretKey key;
  private final Cipher cipher;
  private final SecureRandom random = new SecureRandom();
  private final List<JournalRecord> records;
  private byte[] previousTag;
  private FileChannel channel;

  private DriveJournal(Path file, DriveContext context, byte[] volumeKey, List<JournalRecord> records, byte[] previousTag) {
    this.file = file;
    this.context = context;
    this.key = new SecretKeySpec(volumeKey, "AES");
    this.records = records;
    this.previousTag = previousTag;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no AES/GCM", e);
    }
  }

  /** Replays an existing journal (or none) for appending; a torn last line of a crash is cut off. */
  static DriveJournal openForWriting(Path file, DriveContext context, byte[] volumeKey) throws IOException {
    DriveJournal journal = new DriveJournal(file, context, volumeKey, new ArrayList<>(), new byte[TAG]);
    long validLength = Files.exists(file) ? journal.replay(Files.readAllBytes(file), false) : 0;
    journal.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (journal.channel.size() > validLength) {
      journal.channel.truncate(validLength);
      journal.channel.force(true);
    }
    journal.channel.position(validLength);
    return journal;
  }

  /** Reads a journal of a drive that should be sealed: any bytes after the last complete record are tampering. */
  static List<JournalRecord> readSealed(Path file, DriveContext context, byte[] volumeKey) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DriveNotSealedException("The journal of drive " + context.driveId() + " cannot be read (" + e.getMessage()
          + "): the drive's preparation never finished; resume or prepare it again.", e);
    }
    DriveJournal journal = new DriveJournal(file, context, volumeKey, new ArrayList<>(), new byte[TAG]);
    journal.replay(content, true);
    return List.copyOf(journal.records);
  }

  /** The records of a journal as a crash left it (a torn last line ignored), without changing the file. */
  static List<JournalRecord> readInterrupted(Path file, DriveContext context, byte[] volumeKey) throws IOException {
    DriveJournal journal = new DriveJournal(file, context, volumeKey, new ArrayList<>(), new byte[TAG]);
    journal.replay(Files.readAllBytes(file), false);
    return List.copyOf(journal.records);
  }

  List<JournalRecord> records() {
    return List.copyOf(records);
  }

  void append(JournalRecord record) throws IOException {
    appendAll(List.of(record));
  }

  /** Appends the records and forces the journal once (group commit of FILE records, §5). */
  void appendAll(List<? extends JournalRecord> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder(batch.size() * 200);
    List<JournalRecord> added = new ArrayList<>();
    byte[] previous = previousTag;
    for (JournalRecord record : batch) {
      byte[] sealed = seal(record, records.size() + added.size(), previous);
      previous = Arrays.copyOfRange(sealed, sealed.length - TAG, sealed.length);
      lines.append(Base64.getEncoder().encodeToString(sealed)).append('\n');
      added.add(record);
    }
    ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.US_ASCII));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
    records.addAll(added);
    previousTag = previous;
  }

  /** nonce ‖ ciphertext ‖ tag of one record. */
  private byte[] seal(JournalRecord record, long number, byte[] previous) {
    byte[] nonce = new byte[ChunkAead.NONCE];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
      cipher.updateAAD(aad(number, previous));
      sealed = cipher.doFinal(record.text().getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption of a journal record failed", e);
    }
    byte[] line = new byte[nonce.length + sealed.length];
    System.arraycopy(nonce, 0, line, 0, nonce.length);
    System.arraycopy(sealed, 0, line, nonce.length, sealed.length);
    return line;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  /** Decrypts every complete line in order; returns the length of the valid prefix. */
  private long replay(byte[] content, boolean sealedDrive) {
    int start = 0;
    while (start < content.length) {
      int end = indexOf(content, (byte) '\n', start);
      if (end < 0) {
        if (sealedDrive || records.stream().anyMatch(r -> r instanceof JournalRecord.Sealed)) {
          throw tampered("bytes after the last complete record");
        }
        return start;
      }
      if (!records.isEmpty() && records.get(records.size() - 1) instanceof JournalRecord.Sealed) {
        throw tampered("a record after the SEALED record");
      }
      records.add(decode(Arrays.copyOfRange(content, start, end), records.size()));
      start = end + 1;
    }
    return start;
  }

  private JournalRecord decode(byte[] line, int number) {
    try {
      byte[] raw = Base64.getDecoder().decode(line);
      if (raw.length < ChunkAead.NONCE + TAG) {
        throw tampered("record " + number + " is too short");
      }
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, Arrays.copyOf(raw, ChunkAead.NONCE)));
      cipher.updateAAD(aad(number, previousTag));
      byte[] plain = cipher.doFinal(raw, ChunkAead.NONCE, raw.length - ChunkAead.NONCE);
      previousTag = Arrays.copyOfRange(raw, raw.length - TAG, raw.length);
      JournalRecord record = JournalRecord.parse(new String(plain, StandardCharsets.UTF_8));
      if (number == 0 != record instanceof JournalRecord.Open) {
        throw tampered("record " + number + " is out of place");
      }
      if (record instanceof JournalRecord.Open open
          && (!open.importJob().equals(context.importJob()) || !open.driveId().equals(context.driveId()))) {
        throw tampered("it belongs to another job or drive");
      }
      return record;
    } catch (AEADBadTagException e) {
      throw tampered("record " + number + " fails authentication");
    } catch (IllegalArgumentException e) {
      throw tampered("record " + number + " is malformed (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption of a journal record failed", e);
    }
  }

  private JournalTamperedException tampered(String what) {
    return new JournalTamperedException("The journal " + file + " of drive " + context.driveId() + " was changed: " + what
        + ". The drive cannot be trusted; prepare it again (abort, then restart the preparation).");
  }

  private byte[] aad(long number, byte[] previous) {
    ByteArrayOutputStream aad = new ByteArrayOutputStream(80);
    aad.writeBytes(AAD_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    context.writeTo(aad);
    for (int i = 0; i < 8; i++) {
      aad.write((int) (number >>> (56 - 8 * i)));
    }
    aad.writeBytes(previous);
    return aad.toByteArray();
  }

  private static int indexOf(byte[] content, byte b, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == b) {
        return i;
      }
    }
    return -1;
  }
}

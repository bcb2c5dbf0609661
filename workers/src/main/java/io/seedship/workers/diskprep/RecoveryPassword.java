package io.seedship.workers.diskprep;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

/**
 * A drive's unlock secret in BitLocker's recovery-password form: eight groups of six digits, each a
 * multiple of 11 below 720 896; group / 11 is a 16-bit value, the eight values are 128 secret bits
 * (docs/drive-format.md §3). Never logged: {@link #toString()} hides it.
 */
public final class RecoveryPassword {

  static final int GROUPS = 8;
  private static final int LIMIT = 11 * 65_536;

  private final int[] values;

  private RecoveryPassword(int[] values) {
    this.values = values;
  }

  public static RecoveryPassword generate(SecureRandom random) {
    int[] values = new int[GROUPS];
    for (int i = 0; i < GROUPS; i++) {
      values[i] = random.nextInt(65_536);
    }
    return new RecoveryPassword(values);
  }

  /** Parses "123456-234567-…" (dashes or spaces between groups); says which group is wrong. */
  public static RecoveryPassword parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("No recovery password given: give the 48 digits in eight groups of six.");
    }
    String[] groups = text.strip().split("[-\\s]+");
    if (groups.length != GROUPS) {
      throw new IllegalArgumentException("A recovery password has eight groups of six digits separated by '-', this one has "
          + groups.length + " groups: check that it was copied completely.");
    }
    int[] values = new int[GROUPS];
    for (int i = 0; i < GROUPS; i++) {
      String group = groups[i];
      if (group.length() != 6 || !group.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("Group " + (i + 1) + " of the recovery password is not six digits: check it.");
      }
      int value = Integer.parseInt(group);
      if (value % 11 != 0 || value >= LIMIT) {
        throw new IllegalArgumentException("Group " + (i + 1) + " of the recovery password is not valid (every group is a "
            + "multiple of 11 below 720896): it was mistyped, check it.");
      }
      values[i] = value / 11;
    }
    return new RecoveryPassword(values);
  }

  /** The 48 digits as the operator types them. Only for the key store file and the operator's screen. */
  public String reveal() {
    StringBuilder text = new StringBuilder(55);
    for (int i = 0; i < GROUPS; i++) {
      if (i > 0) {
        text.append('-');
      }
      text.append(String.format(Locale.ROOT, "%06d", values[i] * 11));
    }
    return text.toString();
  }

  /** The 128 secret bits, little-endian 16-bit values (BitLocker's order). */
  byte[] secretBytes() {
    byte[] bytes = new byte[2 * GROUPS];
    for (int i = 0; i < GROUPS; i++) {
      bytes[2 * i] = (byte) values[i];
      bytes[2 * i + 1] = (byte) (values[i] >>> 8);
    }
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecoveryPassword that && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "RecoveryPassword(hidden)";
  }
}

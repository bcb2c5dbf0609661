package io.seedship.workers.certificates;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Certificate thumbprints as Windows shows them: SHA-1 of the DER certificate, 40 upper-case hex digits. */
public final class Thumbprints {

  private Thumbprints() {
  }

  public static String of(byte[] derCertificate) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(derCertificate));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-1", e);
    }
  }

  /**
   * What an operator pasted, made comparable: Windows' certificate dialog groups the digits with spaces and
   * often prefixes an invisible left-to-right mark; case does not matter.
   */
  public static String normalise(String pasted) {
    if (pasted == null) {
      return "";
    }
    return pasted.replaceAll("[\\s\\u200e\\u200f\\u202a-\\u202e\\ufeff:]", "").toUpperCase(Locale.ROOT);
  }

  public static boolean isWellFormed(String normalised) {
    return normalised.matches("[0-9A-F]{40}");
  }
}

package io.seedship.workers.repository;

import java.util.HexFormat;

/** Lower-case hex, the only spelling of ids in file names and messages. */
final class Hex {

  private static final HexFormat HEX = HexFormat.of();

  private Hex() {
  }

  static String of(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static byte[] parse(String hex) {
    return HEX.parseHex(hex);
  }

  static boolean isHex(String text, int length) {
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0 || Character.isUpperCase(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}

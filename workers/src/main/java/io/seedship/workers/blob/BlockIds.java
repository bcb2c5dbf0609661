package io.seedship.workers.blob;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Block ids name a block's position and content (index + MD5), all of one length as the service requires.
 * Why content: a resumed upload may reuse a staged block only when it holds the same bytes.
 */
public final class BlockIds {

  private BlockIds() {
  }

  public static String of(int index, String md5Hex) {
    String raw = String.format(Locale.ROOT, "%06d-%s", index, md5Hex);
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }
}

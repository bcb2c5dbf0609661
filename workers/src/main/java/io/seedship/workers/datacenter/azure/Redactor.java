package io.seedship.workers.datacenter.azure;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Hides secrets in text that came from a service before it goes into a message: the secrets this call sent (the
 * token, the drives' recovery passwords), and anything shaped like one (a BitLocker recovery password, a JWT, a
 * bearer credential), because a service may echo a request back in its error.
 */
final class Redactor {

  static final String HIDDEN = "[hidden]";
  private static final Pattern RECOVERY_PASSWORD = Pattern.compile("\\d{6}(?:[-\\s]\\d{6}){7}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)\\S+");
  private static final int MAX = 600;

  private Redactor() {
  }

  static String redact(String text, Collection<String> secrets) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        result = result.replace(secret, HIDDEN);
      }
    }
    result = RECOVERY_PASSWORD.matcher(result).replaceAll(HIDDEN);
    result = JWT.matcher(result).replaceAll(HIDDEN);
    result = BEARER.matcher(result).replaceAll("$1" + HIDDEN);
    result = result.strip();
    return result.length() > MAX ? result.substring(0, MAX) + "…" : result;
  }
}

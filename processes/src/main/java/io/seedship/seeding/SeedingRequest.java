package io.seedship.seeding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an operator or another system asks for when it starts a seeding. {@link #problems()} lists every
 * defect in words an operator can act on; an empty list means the request may be registered.
 */
public record SeedingRequest(
    String protectedSource,
    String stagingLocation,
    String publishSettingsPath,
    String importJobName,
    String subscriptionId,
    String storageAccount,
    String container,
    String replicationMethod,
    SeedingSchedule schedule) {

  public static final String OFFLINE = "offline";
  public static final String NETWORK = "network";

  private static final Pattern GUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  // Azure container names: 3-63 of lower-case letters, digits and single hyphens, starting with a letter or digit.
  private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
  private static final Pattern IMPORT_JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,63}");

  public boolean isOffline() {
    return OFFLINE.equals(replicationMethod);
  }

  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    requireAbsolutePath(problems, "Protected source", protectedSource);
    if (!GUID.matcher(nullToEmpty(subscriptionId)).matches()) {
      problems.add("Subscription id '" + nullToEmpty(subscriptionId)
          + "' is not a GUID: copy it from the publish-settings file (Subscription Id=\"…\").");
    }
    if (!STORAGE_ACCOUNT.matcher(nullToEmpty(storageAccount)).matches()) {
      problems.add("Storage account '" + nullToEmpty(storageAccount)
          + "' must be 3 to 24 lower-case letters and digits.");
    }
    if (!CONTAINER.matcher(nullToEmpty(container)).matches()) {
      problems.add("Container '" + nullToEmpty(container)
          + "' must be 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.");
    }
    if (!OFFLINE.equals(replicationMethod) && !NETWORK.equals(replicationMethod)) {
      problems.add("Initial replication method '" + nullToEmpty(replicationMethod)
          + "' is unknown: choose 'offline' (ship drives) or 'network'.");
    }
    if (isOffline()) {
      requireAbsolutePath(problems, "Staging location", stagingLocation);
      requireAbsolutePath(problems, "Publish-settings file", publishSettingsPath);
      if (!IMPORT_JOB_NAME.matcher(nullToEmpty(importJobName)).matches()) {
        problems.add("Import job name '" + nullToEmpty(importJobName)
            + "' must be 3 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
      }
      if (isAbsolute(protectedSource) && isAbsolute(stagingLocation) && nested(protectedSource, stagingLocation)) {
        problems.add("Staging location '" + stagingLocation + "' and protected source '" + protectedSource
            + "' overlap: the staging location must lie outside the source (and the source outside it).");
      }
    }
    problems.addAll(schedule.problems());
    return problems;
  }

  /**
   * {@link #problems()}, and then the publish-settings file itself: readable, well-formed, listing the
   * subscription. The file is only read when the request is otherwise sound.
   */
  public List<String> problemsWithPublishSettings() {
    List<String> problems = problems();
    if (problems.isEmpty() && isOffline()) {
      return PublishSettings.problems(java.nio.file.Path.of(publishSettingsPath), subscriptionId);
    }
    return problems;
  }

  private static void requireAbsolutePath(List<String> problems, String what, String path) {
    if (!isAbsolute(path)) {
      problems.add(what + " '" + nullToEmpty(path) + "' must be an absolute path, e.g. /srv/data or D:\\Data.");
    }
  }

  private static boolean isAbsolute(String path) {
    return path != null && (path.startsWith("/") || path.matches("(?i)[a-z]:[\\\\/].*") || path.startsWith("\\\\"));
  }

  private static boolean nested(String a, String b) {
    String x = normalise(a);
    String y = normalise(b);
    return x.equals(y) || x.startsWith(y + "/") || y.startsWith(x + "/");
  }

  private static String normalise(String path) {
    String p = path.replace('\\', '/');
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.matches("(?i)[a-z]:.*") ? p.toLowerCase(Locale.ROOT) : p;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

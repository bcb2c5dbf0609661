package io.seedship.seeding;

/** A seeding that has to ship again gets a new import job: the requested name with the attempt appended. */
public final class ImportJobNames {

  private ImportJobNames() {
  }

  public static String forAttempt(String requestedName, int attempt) {
    return attempt <= 1 ? requestedName : requestedName + "-" + attempt;
  }
}

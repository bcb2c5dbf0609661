package io.seedship.web.security;

/** The groups of the security baseline and what each may do. */
public final class SeedshipGroups {

  /** Camunda's own administrators group: Admin app and every permission. */
  public static final String ADMINS = "camunda-admin";
  /** Operators: Tasklist, start seedings, work on their tasks. */
  public static final String OPERATORS = "seedship-operators";
  /** Managers: Cockpit, read-only. */
  public static final String MANAGERS = "seedship-managers";
  /** Other systems: start and follow seedings through /engine-rest and /api. */
  public static final String API_CLIENTS = "seedship-api";
  /** Workers on copy computers: fetch, lock and complete external tasks through /engine-rest. */
  public static final String WORKERS = "seedship-workers";

  private SeedshipGroups() {
  }
}

package io.seedship.seeding;

/** A request that collides with an existing record; the message tells the operator what to change. */
public class SeedingConflictException extends RuntimeException {

  public SeedingConflictException(String message) {
    super(message);
  }
}

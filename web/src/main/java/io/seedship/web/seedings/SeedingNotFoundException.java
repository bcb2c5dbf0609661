package io.seedship.web.seedings;

class SeedingNotFoundException extends RuntimeException {

  SeedingNotFoundException(String seedingId) {
    super("No seeding with id '" + seedingId + "': list the seedings with GET /api/seedings.");
  }
}

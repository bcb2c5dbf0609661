package io.seedship.seeding;

/**
 * Seedship's records of seedings, their shipments and events (PostgreSQL in production). Uniqueness rules
 * live here: an import job name belongs to one seeding, a tracking number to one import job.
 */
public interface SeedingRegistry {

  /**
   * Registers the request of a seeding process, or updates it when the same process registers a corrected
   * request. Returns the seeding's id.
   *
   * @throws SeedingConflictException when the import job name is already used by another seeding
   */
  String register(String processInstanceId, SeedingRequest request);

  /**
   * Records the package of one import job.
   *
   * @throws SeedingConflictException when the tracking number belongs to another import job, or this import
   *     job already has a package
   */
  void recordShipment(String seedingId, String importJobName, ShippingDetails details);

  void enterPhase(String seedingId, SeedingPhase phase);

  void recordEvent(String seedingId, String kind, String message);
}

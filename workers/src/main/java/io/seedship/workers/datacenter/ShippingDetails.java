package io.seedship.workers.datacenter;

import java.time.LocalDate;
import java.util.Locale;

/** The package's shipping details; the tracking number is kept normalised (no spaces, upper case). */
public record ShippingDetails(String carrier, String trackingNumber, LocalDate shipDate) {

  public ShippingDetails {
    DriveSpec.require(carrier, "carrier");
    DriveSpec.require(trackingNumber, "tracking number");
    if (shipDate == null) {
      throw new ImportJobRefusedException("The ship date is missing: give the day the package was handed to the carrier.");
    }
    trackingNumber = trackingNumber.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }
}

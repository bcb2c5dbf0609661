package io.seedship.seeding;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the operator tells the import job about the package: one package per import job. */
public record ShippingDetails(String carrier, String trackingNumber, String shipDate, String returnAddress, String contact) {

  public static final List<String> ACCEPTED_CARRIERS = List.of("DHL", "FedEx", "UPS", "TNT", "Blue Dart", "USPS");

  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (carrier == null || ACCEPTED_CARRIERS.stream().noneMatch(c -> c.equalsIgnoreCase(carrier.trim()))) {
      problems.add("Carrier '" + nullToEmpty(carrier) + "' is not accepted by the datacenter; use one of "
          + String.join(", ", ACCEPTED_CARRIERS) + ".");
    }
    if (normalisedTrackingNumber().length() < 5 || !normalisedTrackingNumber().matches("[A-Z0-9-]+")) {
      problems.add("Tracking number '" + nullToEmpty(trackingNumber)
          + "' must be at least 5 letters or digits as printed on the carrier's label.");
    }
    try {
      if (shipDate == null || shipDate.isBlank()) {
        problems.add("Ship date is missing: enter the day the package leaves (YYYY-MM-DD).");
      } else {
        LocalDate.parse(shipDate.length() > 10 ? shipDate.substring(0, 10) : shipDate);
      }
    } catch (DateTimeParseException e) {
      problems.add("Ship date '" + shipDate + "' is not a date in the form YYYY-MM-DD.");
    }
    if (returnAddress == null || returnAddress.isBlank()) {
      problems.add("Return address is missing: the datacenter ships the drives back to it.");
    }
    if (contact == null || contact.isBlank()) {
      problems.add("Contact is missing: give a name with an e-mail address or phone number for the datacenter.");
    }
    return problems;
  }

  /** Tracking numbers compare without spaces and case, as carriers print them in groups. */
  public String normalisedTrackingNumber() {
    return nullToEmpty(trackingNumber).replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

package io.seedship.seeding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.Duration;

/**
 * The durations and the backup schedule of one seeding. Defaults are the real service's values: 14 days
 * to submit shipping details after the import job is created, 14 days for the drives to arrive after
 * that, reminders two days before each deadline, hourly import-job polling, a nightly backup at 22:00.
 * Tests and demos shorten them per seeding; the model never changes.
 */
public record SeedingSchedule(
    String shippingDetailsDeadline,
    String shippingDetailsReminder,
    String arrivalDeadline,
    String arrivalReminder,
    String importPollInterval,
    String backupSchedule) {

  public static final Map<String, String> DEFAULTS = Map.of(
      "shippingDetailsDeadline", "P14D",
      "shippingDetailsReminder", "P12D",
      "arrivalDeadline", "P14D",
      "arrivalReminder", "P12D",
      "importPollInterval", "PT1H",
      "backupSchedule", "0 0 22 * * ?");

  private static final DatatypeFactory DATATYPES = datatypeFactory();

  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    BiConsumer<String, String> duration = (name, value) -> {
      if (parse(value) == null) {
        problems.add(name + " '" + value + "' is not an ISO-8601 duration such as P14D or PT1H.");
      }
    };
    duration.accept("shippingDetailsDeadline", shippingDetailsDeadline);
    duration.accept("shippingDetailsReminder", shippingDetailsReminder);
    duration.accept("arrivalDeadline", arrivalDeadline);
    duration.accept("arrivalReminder", arrivalReminder);
    duration.accept("importPollInterval", importPollInterval);
    remindsBefore(problems, "shippingDetailsReminder", shippingDetailsReminder, "shippingDetailsDeadline", shippingDetailsDeadline);
    remindsBefore(problems, "arrivalReminder", arrivalReminder, "arrivalDeadline", arrivalDeadline);
    if (!isSchedule(backupSchedule)) {
      problems.add("backupSchedule '" + backupSchedule
          + "' is neither a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 22 * * ?')"
          + " nor an ISO-8601 repeating interval (e.g. R/PT24H).");
    }
    return problems;
  }

  private static void remindsBefore(List<String> problems, String reminderName, String reminder, String deadlineName, String deadline) {
    Duration r = parse(reminder);
    Duration d = parse(deadline);
    if (r != null && d != null && r.compare(d) != javax.xml.datatype.DatatypeConstants.LESSER) {
      problems.add(reminderName + " (" + reminder + ") must be shorter than " + deadlineName + " (" + deadline
          + "): the reminder has to come before the deadline.");
    }
  }

  private static boolean isSchedule(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    if (value.startsWith("R")) {
      return value.matches("R\\d*/.+");
    }
    int fields = value.trim().split("\\s+").length;
    return (fields == 6 || fields == 7) && value.matches("[0-9A-Za-z*?/,#L\\- ]+");
  }

  private static Duration parse(String value) {
    if (value == null || !value.startsWith("P")) {
      return null;
    }
    try {
      return DATATYPES.newDuration(value);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static DatatypeFactory datatypeFactory() {
    try {
      return DatatypeFactory.newInstance();
    } catch (DatatypeConfigurationException e) {
      throw new IllegalStateException("The JDK's XML datatype factory is missing", e);
    }
  }
}

package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedship.workers.datacenter.ImportJobRefusedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The return address as Import/Export wants it: separate fields, with the recipient's phone and e-mail. Seedship's
 * job request carries the address and the contact as text; for Azure the address is written as labelled lines
 * (or parts separated by ';'):
 * <pre>
 * recipient: Backup team, Example GmbH
 * street: Hafenstraße 1
 * street2: Building C            (optional)
 * city: Hamburg
 * state: HH                      (optional)
 * postal code: 20457
 * country: DE
 * phone: +49 40 1234567          (or in the contact)
 * email: backup@example.org      (or in the contact)
 * </pre>
 * Phone and e-mail missing from the address are taken from the contact text ("Jane Doe &lt;jane@example.org&gt;,
 * +49 40 1234567"); a missing recipient is the contact's name.
 */
public record AzureReturnAddress(String recipientName, String streetAddress1, String streetAddress2, String city,
                                 String stateOrProvince, String postalCode, String countryOrRegion, String phone,
                                 String email) {

  static final String EXAMPLE = "recipient: Backup team; street: Hafenstraße 1; city: Hamburg; postal code: 20457; "
      + "country: DE; phone: +49 40 1234567; email: backup@example.org";

  private static final Map<String, String> LABELS = new LinkedHashMap<>();
  private static final Pattern EMAIL = Pattern.compile("[^\\s<>,;:()\\[\\]]+@[^\\s<>,;:()\\[\\]]+\\.[A-Za-z]{2,}");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ()/.-]{4,}\\d");

  static {
    for (String label : List.of("recipient", "name", "recipientname")) {
      LABELS.put(label, "recipientName");
    }
    for (String label : List.of("street", "street1", "streetaddress", "streetaddress1", "address1")) {
      LABELS.put(label, "streetAddress1");
    }
    for (String label : List.of("street2", "streetaddress2", "address2")) {
      LABELS.put(label, "streetAddress2");
    }
    for (String label : List.of("city", "town")) {
      LABELS.put(label, "city");
    }
    for (String label : List.of("state", "province", "stateorprovince")) {
      LABELS.put(label, "stateOrProvince");
    }
    for (String label : List.of("postalcode", "postcode", "zip", "zipcode")) {
      LABELS.put(label, "postalCode");
    }
    for (String label : List.of("country", "countryorregion")) {
      LABELS.put(label, "countryOrRegion");
    }
    for (String label : List.of("phone", "telephone", "tel")) {
      LABELS.put(label, "phone");
    }
    for (String label : List.of("email", "mail")) {
      LABELS.put(label, "email");
    }
  }

  /**
   * Reads the labelled address, completing phone, e-mail and recipient from the contact.
   *
   * @throws ImportJobRefusedException naming what is missing or unreadable, with an example
   */
  public static AzureReturnAddress parse(String address, String contact) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String part : (address == null ? "" : address).split("[;\\r\\n]+")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon < 0) {
        problems.add("'" + part.strip() + "' has no label");
        continue;
      }
      String label = part.substring(0, colon).replaceAll("[\\s_-]", "").toLowerCase(Locale.ROOT);
      String field = LABELS.get(label);
      String value = part.substring(colon + 1).strip();
      if (field == null) {
        problems.add("the label '" + part.substring(0, colon).strip() + "' is not one of recipient, street, street2, city, "
            + "state, postal code, country, phone, email");
      } else if (fields.containsKey(field)) {
        problems.add(field + " is given twice");
      } else if (!value.isEmpty()) {
        fields.put(field, value);
      }
    }
    String contactText = contact == null ? "" : contact;
    Matcher email = EMAIL.matcher(contactText);
    if (!fields.containsKey("email") && email.find()) {
      fields.put("email", email.group());
    }
    Matcher phone = PHONE.matcher(contactText);
    if (!fields.containsKey("phone") && phone.find()) {
      fields.put("phone", phone.group().strip());
    }
    if (!fields.containsKey("recipientName")) {
      String name = PHONE.matcher(EMAIL.matcher(contactText).replaceAll("")).replaceAll("").replaceAll("[<>(),;]", " ")
          .replaceAll("\\s+", " ").strip();
      if (!name.isEmpty()) {
        fields.put("recipientName", name);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String required : List.of("recipientName", "streetAddress1", "city", "postalCode", "countryOrRegion", "phone", "email")) {
      if (!fields.containsKey(required)) {
        missing.add(required);
      }
    }
    if (!missing.isEmpty()) {
      problems.add("Import/Export needs " + String.join(", ", missing) + " and they are missing");
    }
    if (!problems.isEmpty()) {
      throw new ImportJobRefusedException("The return address cannot be given to Azure Import/Export: "
          + String.join("; ", problems) + ". Write it as labelled parts, e.g. \"" + EXAMPLE + "\" (phone and e-mail may "
          + "also stand in the contact).");
    }
    return new AzureReturnAddress(fields.get("recipientName"), fields.get("streetAddress1"), fields.get("streetAddress2"),
        fields.get("city"), fields.get("stateOrProvince"), fields.get("postalCode"), fields.get("countryOrRegion"),
        fields.get("phone"), fields.get("email"));
  }

  /** The {@code returnAddress} object of the request body. */
  ObjectNode toJson() {
    ObjectNode node = ArmClient.JSON.createObjectNode()
        .put("recipientName", recipientName)
        .put("streetAddress1", streetAddress1);
    if (streetAddress2 != null) {
      node.put("streetAddress2", streetAddress2);
    }
    node.put("city", city);
    if (stateOrProvince != null) {
      node.put("stateOrProvince", stateOrProvince);
    }
    return node.put("postalCode", postalCode)
        .put("countryOrRegion", countryOrRegion)
        .put("phone", phone)
        .put("email", email);
  }
}

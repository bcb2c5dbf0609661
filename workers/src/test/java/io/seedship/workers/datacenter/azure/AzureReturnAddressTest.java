package io.seedship.workers.datacenter.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.workers.datacenter.ImportJobRefusedException;
import org.junit.jupiter.api.Test;

class AzureReturnAddressTest {

  @Test
  void labelledPartsOnLinesOrSeparatedBySemicolons() {
    AzureReturnAddress lines = AzureReturnAddress.parse("Recipient: Backup team\nStreet: 1 Main Street\nStreet2: Suite 5\n"
        + "City: Redmond\nState: WA\nZIP: 98052\nCountry: US\nPhone: +1 425 555 0100\nE-mail: backup@example.com", "");
    AzureReturnAddress semicolons = AzureReturnAddress.parse("recipient: Backup team; street: 1 Main Street; street2: Suite 5; "
        + "city: Redmond; state: WA; postal code: 98052; country: US; phone: +1 425 555 0100; email: backup@example.com", null);

    AzureReturnAddress expected = new AzureReturnAddress("Backup team", "1 Main Street", "Suite 5", "Redmond", "WA", "98052",
        "US", "+1 425 555 0100", "backup@example.com");
    assertThat(lines).isEqualTo(expected);
    assertThat(semicolons).isEqualTo(expected);
    assertThat(lines.toJson().toString()).isEqualTo("{\"recipientName\":\"Backup team\",\"streetAddress1\":\"1 Main Street\","
        + "\"streetAddress2\":\"Suite 5\",\"city\":\"Redmond\",\"stateOrProvince\":\"WA\",\"postalCode\":\"98052\","
        + "\"countryOrRegion\":\"US\",\"phone\":\"+1 425 555 0100\",\"email\":\"backup@example.com\"}");
  }

  @Test
  void phoneEmailAndRecipientFromTheContact() {
    AzureReturnAddress address = AzureReturnAddress.parse("street: Hafenstraße 1; city: Hamburg; postal code: 20457; country: DE",
        "Jane Doe <jane.doe@example.org>, +49 40 1234567");

    assertThat(address.recipientName()).isEqualTo("Jane Doe");
    assertThat(address.email()).isEqualTo("jane.doe@example.org");
    assertThat(address.phone()).isEqualTo("+49 40 1234567");
    assertThat(address.streetAddress2()).isNull();
    assertThat(address.toJson().has("streetAddress2")).isFalse();
  }

  @Test
  void whatIsMissingOrUnreadableIsNamedWithAnExample() {
    assertThatThrownBy(() -> AzureReturnAddress.parse("city: Hamburg; floor: 3; city: Bremen; somewhere", "ops@example.org"))
        .isInstanceOf(ImportJobRefusedException.class)
        .hasMessageContaining("the label 'floor' is not one of")
        .hasMessageContaining("city is given twice")
        .hasMessageContaining("'somewhere' has no label")
        .hasMessageContaining("needs recipientName, streetAddress1, postalCode, countryOrRegion, phone")
        .hasMessageContaining(AzureReturnAddress.EXAMPLE);
  }
}

package io.seedship.seeding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedship.seeding.PublishSettings.InvalidPublishSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishSettingsTest {

  private static final String SUBSCRIPTION = "0f8fad5b-d9cb-469f-a165-70867728950e";

  @TempDir
  Path dir;

  @Test
  void readsTheSubscriptionsAndRecognisesEachCloudByItsManagementUrl() throws IOException {
    PublishSettings settings = PublishSettings.read(file("""
        <?xml version="1.0" encoding="utf-8"?>
        <PublishData>
          <PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
            <Subscription ServiceManagementUrl="https://management.core.windows.net" Id="%s" Name="Pay-As-You-Go"
                          ManagementCertificate="MIIKPAIBAzCCCfwGCSqGSIb3DQEHAaCCCe0Egg==" />
            <Subscription ServiceManagementUrl="https://management.core.usgovcloudapi.net/" Id="11111111-2222-3333-4444-555555555555" Name="Gov" />
            <Subscription ServiceManagementUrl="https://management.core.chinacloudapi.cn" Id="66666666-7777-8888-9999-000000000000" Name="China" />
          </PublishProfile>
        </PublishData>""".formatted(SUBSCRIPTION)));

    assertThat(settings.subscriptions()).extracting(PublishSettings.Subscription::cloud).containsExactly(
        PublishSettings.Cloud.AZURE_PUBLIC, PublishSettings.Cloud.AZURE_US_GOVERNMENT, PublishSettings.Cloud.AZURE_CHINA);
    assertThat(settings.subscription(SUBSCRIPTION.toUpperCase()).name()).isEqualTo("Pay-As-You-Go");
    assertThat(settings.toString()).doesNotContain("MIIKPAIBAzCC");
  }

  @Test
  void malformedXmlIsRefusedWithItsReason() throws IOException {
    assertThatThrownBy(() -> PublishSettings.read(file("<PublishData><PublishProfile>")))
        .isInstanceOf(InvalidPublishSettingsException.class).hasMessageContaining("is not well-formed XML");
  }

  @Test
  void anExternalEntityIsRefusedAndTheFileItNamesIsNotRead() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
    Path evil = file("""
        <?xml version="1.0"?>
        <!DOCTYPE PublishData [<!ENTITY leak SYSTEM "file://%s">]>
        <PublishData><PublishProfile><Subscription ServiceManagementUrl="https://management.core.windows.net"
          Id="%s" Name="&leak;" /></PublishProfile></PublishData>""".formatted(secret, SUBSCRIPTION));
    assertThatThrownBy(() -> PublishSettings.read(evil))
        .isInstanceOf(InvalidPublishSettingsException.class)
        .hasMessageContaining("declares a DOCTYPE (entities are refused)")
        .hasMessageNotContaining("TOP-SECRET-CONTENT");
  }

  @Test
  void aFileWithoutSubscriptionsIsRefused() throws IOException {
    assertThatThrownBy(() -> PublishSettings.read(file("<PublishData><PublishProfile SchemaVersion=\"2.0\"/></PublishData>")))
        .isInstanceOf(InvalidPublishSettingsException.class).hasMessageContaining("lists no <Subscription>");
  }

  @Test
  void aSubscriptionIdThatIsNotInTheFileIsRefusedNamingTheOnesThatAre() throws IOException {
    PublishSettings settings = PublishSettings.read(file(valid("https://management.core.windows.net")));
    assertThatThrownBy(() -> settings.subscription("99999999-9999-9999-9999-999999999999"))
        .isInstanceOf(InvalidPublishSettingsException.class)
        .hasMessage("Subscription 99999999-9999-9999-9999-999999999999 is not in the publish-settings file (it lists "
            + SUBSCRIPTION + "): use one of those, or download the file of the right subscription.");
  }

  @Test
  void anUnknownCloudIsRefused() throws IOException {
    assertThatThrownBy(() -> PublishSettings.read(file(valid("https://management.example.com"))))
        .isInstanceOf(InvalidPublishSettingsException.class)
        .hasMessageContaining("names the management URL https://management.example.com, which is not the public, US-government or China cloud");
  }

  @Test
  void aMissingOrOversizedFileIsRefused() throws IOException {
    assertThat(PublishSettings.problems(dir.resolve("absent.publishsettings"), SUBSCRIPTION))
        .singleElement().asString().contains("does not exist");
    Path big = Files.write(dir.resolve("big.publishsettings"), new byte[PublishSettings.MAX_BYTES + 1]);
    assertThatThrownBy(() -> PublishSettings.read(big)).hasMessageContaining("larger than 1 MiB");
    assertThatThrownBy(() -> PublishSettings.read(file("<Other/>"))).hasMessageContaining("not <PublishData>");
  }

  private static String valid(String url) {
    return "<PublishData><PublishProfile><Subscription ServiceManagementUrl=\"" + url + "\" Id=\"" + SUBSCRIPTION
        + "\" Name=\"S\"/></PublishProfile></PublishData>";
  }

  private Path file(String content) throws IOException {
    return Files.write(Files.createTempFile(dir, "ps", ".publishsettings"), content.getBytes(StandardCharsets.UTF_8));
  }
}

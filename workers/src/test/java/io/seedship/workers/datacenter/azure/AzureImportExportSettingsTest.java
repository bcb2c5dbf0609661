package io.seedship.workers.datacenter.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AzureImportExportSettingsTest {

  static final String SUBSCRIPTION = "0B1F6471-1BF0-4DDA-AEC3-CB9272F09590";
  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  static final String CLIENT = "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e";

  @Test
  void publicCloudDefaultsAndNormalisedValues() {
    AzureImportExportSettings settings = AzureImportExportSettings.publicCloud(SUBSCRIPTION, " backup-rg ", "West Europe", TENANT,
        CLIENT);

    assertThat(settings.subscriptionId()).isEqualTo(SUBSCRIPTION.toLowerCase());
    assertThat(settings.resourceGroup()).isEqualTo("backup-rg");
    assertThat(settings.location()).isEqualTo("westeurope");
    assertThat(settings.managementBaseUrl()).isEqualTo(URI.create("https://management.azure.com"));
    assertThat(settings.tokenEndpoint()).isEqualTo(URI.create("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token"));
    assertThat(settings.storageAccountId("seedshipstore")).isEqualTo("/subscriptions/" + SUBSCRIPTION.toLowerCase()
        + "/resourceGroups/backup-rg/providers/Microsoft.Storage/storageAccounts/seedshipstore");
    assertThat(settings.returnShipping()).isNull();
  }

  @Test
  void aStorageAccountInAnotherResourceGroupThroughThePattern() {
    AzureImportExportSettings settings = AzureImportExportSettings.publicCloud(SUBSCRIPTION, "backup-rg", "westeurope", TENANT,
        CLIENT).withStorageAccountIdPattern("/subscriptions/{subscriptionId}/resourceGroups/storage-rg/providers/"
        + "Microsoft.Storage/storageAccounts/{storageAccount}");

    assertThat(settings.storageAccountId("seedshipstore")).endsWith("/resourceGroups/storage-rg/providers/Microsoft.Storage/"
        + "storageAccounts/seedshipstore");
    assertThatThrownBy(() -> settings.storageAccountId("Bad_Name")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 to 24 lower-case letters and digits");
  }

  @Test
  void endpointsLoseTheirTrailingSlashAndPlainHttpIsOnlyForLocalTests() {
    AzureImportExportSettings settings = AzureImportExportSettings.publicCloud(SUBSCRIPTION, "rg", "westeurope", TENANT, CLIENT)
        .withEndpoints(URI.create("http://127.0.0.1:8123/"), URI.create("https://login.example.net//"));

    assertThat(settings.managementBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8123"));
    assertThat(settings.loginBaseUrl()).isEqualTo(URI.create("https://login.example.net"));
    assertThatThrownBy(() -> settings.withEndpoints(URI.create("http://management.example.net"), settings.loginBaseUrl()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(() -> new AzureImportExportSettings("my-subscription", "rg.", "West Europe 2!", URI.create("relative"),
        URI.create("https://login.microsoftonline.com?x=1"), "common tenant", "app", "/resourceGroups/{group}/x", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Azure Import/Export settings: ")
        .hasMessageContaining("subscription id 'my-subscription' is not a GUID")
        .hasMessageContaining("resource group 'rg.'")
        .hasMessageContaining("location 'West Europe 2!'")
        .hasMessageContaining("management base URL 'relative' is not an absolute URL")
        .hasMessageContaining("login base URL 'https://login.microsoftonline.com?x=1' must not carry a query")
        .hasMessageContaining("tenant id 'common tenant'")
        .hasMessageContaining("client id 'app' is not a GUID")
        .hasMessageContaining("must be a resource id starting with /subscriptions/")
        .hasMessageContaining("must contain the placeholder {storageAccount}")
        .hasMessageContaining("unknown placeholder {group}");
  }

  @Test
  void aDomainNameIsATenant() {
    assertThat(AzureImportExportSettings.publicCloud(SUBSCRIPTION, "rg", "westeurope", "contoso.onmicrosoft.com", CLIENT)
        .tenantId()).isEqualTo("contoso.onmicrosoft.com");
  }

  @Test
  void returnShippingNeedsCarrierAndAccount() {
    AzureImportExportSettings settings = AzureImportExportSettings.publicCloud(SUBSCRIPTION, "rg", "westeurope", TENANT, CLIENT);

    assertThat(settings.withReturnShipping(" FedEx ", "123456789").returnShipping())
        .isEqualTo(new AzureImportExportSettings.ReturnShipping("FedEx", "123456789"));
    assertThatThrownBy(() -> settings.withReturnShipping("FedEx", " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("account number");
  }
}

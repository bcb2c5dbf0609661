package io.seedship.workers.datacenter.azure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Azure adapter finds the Import/Export service and as whom it signs in.
 *
 * @param subscriptionId          the subscription that holds the import jobs (a GUID)
 * @param resourceGroup           the resource group the jobs are created in
 * @param location                the Azure region of the jobs and of the datacenter the drives go to, e.g. {@code westeurope}
 *                                (a display name such as "West Europe" is accepted and normalised)
 * @param managementBaseUrl       {@code https://management.azure.com} in the public cloud
 * @param loginBaseUrl            {@code https://login.microsoftonline.com} in the public cloud
 * @param tenantId                the directory (tenant) of the application, a GUID or a verified domain name
 * @param clientId                the application (client) id of the offline-seeding application, a GUID
 * @param storageAccountIdPattern the storage account's resource id with the placeholders {@code {subscriptionId}},
 *                                {@code {resourceGroup}} and {@code {storageAccount}}; the job request names the account
 * @param returnShipping          the carrier and account the datacenter uses to send the drives back; null to leave it
 *                                out of the request (the portal then asks for it)
 */
public record AzureImportExportSettings(String subscriptionId, String resourceGroup, String location, URI managementBaseUrl,
                                        URI loginBaseUrl, String tenantId, String clientId, String storageAccountIdPattern,
                                        ReturnShipping returnShipping) {

  public static final URI PUBLIC_MANAGEMENT = URI.create("https://management.azure.com");
  public static final URI PUBLIC_LOGIN = URI.create("https://login.microsoftonline.com");
  public static final String DEFAULT_STORAGE_ACCOUNT_ID_PATTERN =
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{storageAccount}";

  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[\\p{L}\\p{N}._()-]{1,90}");
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{2,40}");
  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
  private static final List<String> PLACEHOLDERS = List.of("subscriptionId", "resourceGroup", "storageAccount");

  /** The return carrier and the customer's account number with it. */
  public record ReturnShipping(String carrierName, String carrierAccountNumber) {

    public ReturnShipping {
      if (carrierName == null || carrierName.isBlank() || carrierAccountNumber == null || carrierAccountNumber.isBlank()) {
        throw new IllegalArgumentException("Azure Import/Export settings: the return shipping needs both the carrier's name "
            + "and your account number with that carrier (or leave the return shipping out altogether).");
      }
      carrierName = carrierName.strip();
      carrierAccountNumber = carrierAccountNumber.strip();
    }
  }

  public AzureImportExportSettings {
    List<String> problems = new ArrayList<>();
    if (subscriptionId == null || !GUID.matcher(subscriptionId.strip()).matches()) {
      problems.add("the subscription id '" + subscriptionId + "' is not a GUID (8-4-4-4-12 hex digits): copy it from the "
          + "portal's Subscriptions page");
    }
    if (resourceGroup == null || !RESOURCE_GROUP.matcher(resourceGroup.strip()).matches() || resourceGroup.strip().endsWith(".")) {
      problems.add("the resource group '" + resourceGroup + "' is not a resource group name (1 to 90 letters, digits, '.', '_', "
          + "'-', '(', ')', not ending in '.')");
    }
    String normalisedLocation = location == null ? null : location.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    if (normalisedLocation == null || !LOCATION.matcher(normalisedLocation).matches()) {
      problems.add("the location '" + location + "' is not an Azure region name such as 'westeurope'");
    }
    URI management = endpoint(managementBaseUrl, "management base URL", problems);
    URI login = endpoint(loginBaseUrl, "login base URL", problems);
    if (tenantId == null || !(GUID.matcher(tenantId.strip()).matches() || DOMAIN.matcher(tenantId.strip()).matches())) {
      problems.add("the tenant id '" + tenantId + "' is neither a GUID nor a domain name such as contoso.onmicrosoft.com: "
          + "copy the Directory (tenant) ID from the application's overview page");
    }
    if (clientId == null || !GUID.matcher(clientId.strip()).matches()) {
      problems.add("the client id '" + clientId + "' is not a GUID: copy the Application (client) ID of the offline-seeding "
          + "application (OfflineApplicationParams.xml holds it as ApplicationId)");
    }
    if (storageAccountIdPattern == null || storageAccountIdPattern.isBlank()) {
      storageAccountIdPattern = DEFAULT_STORAGE_ACCOUNT_ID_PATTERN;
    }
    storageAccountIdPattern = storageAccountIdPattern.strip();
    checkPattern(storageAccountIdPattern, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Azure Import/Export settings: " + String.join("; ", problems) + ".");
    }
    subscriptionId = subscriptionId.strip().toLowerCase(Locale.ROOT);
    resourceGroup = resourceGroup.strip();
    location = normalisedLocation;
    managementBaseUrl = management;
    loginBaseUrl = login;
    tenantId = tenantId.strip();
    clientId = clientId.strip().toLowerCase(Locale.ROOT);
  }

  /** The public cloud's endpoints, the default storage-account id pattern and no return shipping. */
  public static AzureImportExportSettings publicCloud(String subscriptionId, String resourceGroup, String location,
                                                      String tenantId, String clientId) {
    return new AzureImportExportSettings(subscriptionId, resourceGroup, location, PUBLIC_MANAGEMENT, PUBLIC_LOGIN, tenantId,
        clientId, DEFAULT_STORAGE_ACCOUNT_ID_PATTERN, null);
  }

  public AzureImportExportSettings withEndpoints(URI management, URI login) {
    return new AzureImportExportSettings(subscriptionId, resourceGroup, location, management, login, tenantId, clientId,
        storageAccountIdPattern, returnShipping);
  }

  public AzureImportExportSettings withStorageAccountIdPattern(String pattern) {
    return new AzureImportExportSettings(subscriptionId, resourceGroup, location, managementBaseUrl, loginBaseUrl, tenantId,
        clientId, pattern, returnShipping);
  }

  public AzureImportExportSettings withReturnShipping(String carrierName, String carrierAccountNumber) {
    return new AzureImportExportSettings(subscriptionId, resourceGroup, location, managementBaseUrl, loginBaseUrl, tenantId,
        clientId, storageAccountIdPattern, new ReturnShipping(carrierName, carrierAccountNumber));
  }

  /** True for a storage account name Azure accepts: 3 to 24 lower-case letters and digits. */
  public static boolean isStorageAccountName(String name) {
    return name != null && STORAGE_ACCOUNT.matcher(name).matches();
  }

  /** The resource id of a storage account, from the pattern. */
  public String storageAccountId(String storageAccount) {
    if (!isStorageAccountName(storageAccount)) {
      throw new IllegalArgumentException("'" + storageAccount + "' is not a storage account name (3 to 24 lower-case letters "
          + "and digits).");
    }
    return storageAccountIdPattern.replace("{subscriptionId}", subscriptionId).replace("{resourceGroup}", resourceGroup)
        .replace("{storageAccount}", storageAccount);
  }

  /** The OAuth2 v2.0 token endpoint of the tenant. */
  public URI tokenEndpoint() {
    return URI.create(loginBaseUrl + "/" + tenantId + "/oauth2/v2.0/token");
  }

  private static URI endpoint(URI url, String what, List<String> problems) {
    if (url == null || !url.isAbsolute() || url.getHost() == null) {
      problems.add("the " + what + " '" + url + "' is not an absolute URL such as https://host");
      return url;
    }
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = url.getHost().equals("127.0.0.1") || url.getHost().equals("localhost") || url.getHost().equals("[::1]");
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      problems.add("the " + what + " '" + url + "' must use https (plain http only for a local test server on 127.0.0.1)");
      return url;
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      problems.add("the " + what + " '" + url + "' must not carry a query, a fragment or credentials");
      return url;
    }
    return URI.create(url.toString().replaceAll("/+$", ""));
  }

  private static void checkPattern(String pattern, List<String> problems) {
    if (!pattern.startsWith("/subscriptions/")) {
      problems.add("the storage-account id pattern '" + pattern + "' must be a resource id starting with /subscriptions/");
    }
    if (!pattern.contains("{storageAccount}")) {
      problems.add("the storage-account id pattern '" + pattern + "' must contain the placeholder {storageAccount}");
    }
    Matcher m = PLACEHOLDER.matcher(pattern);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        problems.add("the storage-account id pattern has an unknown placeholder {" + m.group(1) + "}: use {subscriptionId}, "
            + "{resourceGroup} and {storageAccount}");
      }
    }
  }
}

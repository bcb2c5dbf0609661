package io.seedship.workers.datacenter.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.OfflineCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Access tokens through the OAuth2 client-credentials flow with a certificate credential: a JWT signed (RS256) with
 * the offline-seeding certificate's private key, its {@code x5t} header the base64url SHA-1 thumbprint, sent as
 * {@code client_assertion} to {@code <login>/<tenant>/oauth2/v2.0/token}. The certificate and key come from the
 * {@link CertificateStore} that certificate setup filled. A token is kept until five minutes before it expires.
 * Neither the assertion nor the token is ever logged or put into a message.
 */
public final class ClientCertificateTokens implements AccessTokens {

  public static final String MANAGEMENT_SCOPE = "https://management.azure.com/.default";
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(10);
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final URI tokenEndpoint;
  private final String tenantId;
  private final String clientId;
  private final String scope;
  private final CertificateStore certificates;
  private final String resourceId;
  private final Clock clock;
  private final HttpClient http;

  private String token;
  private Instant renewAt = Instant.MIN;

  /**
   * @param loginBaseUrl e.g. {@code https://login.microsoftonline.com}
   * @param scope        e.g. {@link #MANAGEMENT_SCOPE}
   * @param resourceId   the resource id the certificate was made for in certificate setup
   */
  public ClientCertificateTokens(URI loginBaseUrl, String tenantId, String clientId, String scope,
                                 CertificateStore certificates, String resourceId, Clock clock) {
    this.tokenEndpoint = URI.create(loginBaseUrl.toString().replaceAll("/+$", "") + "/" + tenantId + "/oauth2/v2.0/token");
    this.tenantId = tenantId;
    this.clientId = clientId;
    this.scope = scope;
    this.certificates = certificates;
    this.resourceId = resourceId;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
  }

  /** Tokens for the management API of the settings' tenant and application (public-cloud scope). */
  public static ClientCertificateTokens forManagement(AzureImportExportSettings settings, CertificateStore certificates,
                                                      String resourceId, Clock clock) {
    return new ClientCertificateTokens(settings.loginBaseUrl(), settings.tenantId(), settings.clientId(), MANAGEMENT_SCOPE,
        certificates, resourceId, clock);
  }

  /**
   * Tokens for the application that certificate setup registered (OfflineApplicationParams.xml): its tenant, its
   * application id and the certificate named by its subject. Refuses when the stored certificate is not the one whose
   * thumbprint the parameters recorded.
   */
  public static ClientCertificateTokens forApplication(OfflineApplicationParams params, URI loginBaseUrl,
                                                       CertificateStore certificates, Clock clock) {
    String subject = params.certificateSubject() == null ? "" : params.certificateSubject();
    String prefix = OfflineCertificate.SUBJECT_PREFIX;
    if (!subject.startsWith(prefix)) {
      throw new AccessTokenException("The application parameters name the certificate '" + subject + "', which is not an "
          + "offline-seeding certificate (" + prefix + "<resource id>): run the certificate setup again.");
    }
    String resourceId = subject.substring(prefix.length());
    OfflineCertificate certificate = certificates.find(resourceId).orElseThrow(() -> new AccessTokenException(
        "There is no offline-seeding certificate for resource " + resourceId + " in the certificate store: run the "
            + "certificate setup on this computer or copy its certificate store here."));
    if (params.certificateThumbprint() != null && !params.certificateThumbprint().equalsIgnoreCase(certificate.thumbprint())) {
      throw new AccessTokenException("The certificate in the store for resource " + resourceId + " has thumbprint "
          + certificate.thumbprint() + ", but the application was given " + params.certificateThumbprint() + ": upload the "
          + "store's certificate to the application, or use the store that holds the uploaded one.");
    }
    return new ClientCertificateTokens(loginBaseUrl, params.tenantId(), params.applicationId(), MANAGEMENT_SCOPE,
        certificates, resourceId, clock);
  }

  @Override
  public synchronized String token() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(renewAt)) {
      fetch(now);
    }
    return token;
  }

  private void fetch(Instant now) {
    OfflineCertificate certificate = certificates.find(resourceId).orElseThrow(() -> new AccessTokenException(
        "There is no offline-seeding certificate for resource " + resourceId + ": run the certificate setup first."));
    String assertion = assertion(certificate, certificates.privateKey(resourceId), now);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", clientId);
    form.put("scope", scope);
    form.put("client_assertion_type", ASSERTION_TYPE);
    form.put("client_assertion", assertion);
    form.put("grant_type", "client_credentials");
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AccessTokenException("Microsoft Entra ID at " + tokenEndpoint + " cannot be reached (" + e.getMessage()
          + "): check the network and the login base URL, then try again.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AccessTokenException("Interrupted while waiting for an access token.", e);
    }
    JsonNode json;
    try {
      json = ArmClient.JSON.readTree(response.body() == null || response.body().isBlank() ? "{}" : response.body());
    } catch (IOException e) {
      json = ArmClient.JSON.createObjectNode();
    }
    List<String> secrets = List.of(assertion);
    if (response.statusCode() != 200 || !json.path("access_token").isTextual()) {
      String error = Redactor.redact(json.path("error").asText(""), secrets);
      String description = Redactor.redact(json.path("error_description").asText(""), secrets);
      String detail = error.isEmpty() && description.isEmpty() ? "HTTP " + response.statusCode()
          : error + (description.isEmpty() ? "" : ": " + description);
      throw new AccessTokenException("Microsoft Entra ID gave no access token to application " + clientId + " in tenant "
          + tenantId + " (" + detail + "): check the tenant and client ids, and that the certificate with thumbprint "
          + certificate.thumbprint() + " is uploaded to the application and still valid (until " + certificate.notAfter()
          + ").");
    }
    token = json.path("access_token").asText();
    long lifetime = json.path("expires_in").asLong(3600);
    renewAt = now.plusSeconds(lifetime).minus(RENEW_BEFORE);
  }

  /** The signed client assertion: header {alg, typ, x5t}, claims {aud, iss, sub, jti, nbf, iat, exp}. */
  String assertion(OfflineCertificate certificate, PrivateKey key, Instant now) {
    ObjectNode header = ArmClient.JSON.createObjectNode()
        .put("alg", "RS256")
        .put("typ", "JWT")
        .put("x5t", URL.encodeToString(HexFormat.of().parseHex(certificate.thumbprint())));
    ObjectNode claims = ArmClient.JSON.createObjectNode()
        .put("aud", tokenEndpoint.toString())
        .put("iss", clientId)
        .put("sub", clientId)
        .put("jti", UUID.randomUUID().toString())
        .put("nbf", now.getEpochSecond())
        .put("iat", now.getEpochSecond())
        .put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
    String signingInput = URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new AccessTokenException("The client assertion cannot be signed with the private key of resource " + resourceId
          + " (" + e.getMessage() + "): the key in the certificate store must be an RSA key.", e);
    }
  }
}

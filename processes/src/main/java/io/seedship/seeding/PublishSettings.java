package io.seedship.seeding;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A publish-settings file ({@code .publishsettings}) as the portal hands it out:
 * {@code PublishData/PublishProfile/Subscription} with {@code Id}, {@code Name}, {@code ServiceManagementUrl}
 * and a base64 {@code ManagementCertificate}. Parsed defensively: bounded size, no DTDs, no external entities.
 * The management certificate is a secret: it is checked for form and then dropped, never kept or logged.
 */
public record PublishSettings(List<Subscription> subscriptions) {

  /** At most 1 MiB: real files are a few KiB. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Pattern GUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public enum Cloud {
    AZURE_PUBLIC("management.core.windows.net"),
    AZURE_US_GOVERNMENT("management.core.usgovcloudapi.net"),
    AZURE_CHINA("management.core.chinacloudapi.cn");

    private final String managementHost;

    Cloud(String managementHost) {
      this.managementHost = managementHost;
    }

    static Optional<Cloud> ofManagementUrl(String url) {
      String host = url.replaceFirst("(?i)^https://", "").replaceFirst("[/:].*$", "").toLowerCase(Locale.ROOT);
      for (Cloud cloud : values()) {
        if (cloud.managementHost.equals(host)) {
          return Optional.of(cloud);
        }
      }
      return Optional.empty();
    }
  }

  public record Subscription(String id, String name, String serviceManagementUrl, Cloud cloud) {
  }

  /** Thrown for every defect; the message names the problem and the file. */
  public static class InvalidPublishSettingsException extends RuntimeException {
    public InvalidPublishSettingsException(String message) {
      super(message);
    }
  }

  public static PublishSettings read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidPublishSettingsException("Publish-settings file " + file + " is larger than 1 MiB: it is not a "
            + "publish-settings file; download it again from the portal.");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidPublishSettingsException("Publish-settings file " + file + " does not exist: download it from the "
          + "portal and give its path.");
    } catch (IOException e) {
      throw new InvalidPublishSettingsException("Publish-settings file " + file + " cannot be read (" + e.getMessage()
          + "): check its permissions.");
    }
    return parse(bytes, file.toString());
  }

  public static PublishSettings parse(byte[] xml, String origin) {
    if (xml.length > MAX_BYTES) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " is larger than 1 MiB.");
    }
    Document document;
    try (InputStream in = new ByteArrayInputStream(xml)) {
      DocumentBuilder builder = secureFactory().newDocumentBuilder();
      builder.setErrorHandler(null);
      document = builder.parse(in);
    } catch (SAXException e) {
      String reason = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
          ? "it declares a DOCTYPE (entities are refused)" : "it is not well-formed XML (" + e.getMessage() + ")";
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " cannot be used: " + reason + ".");
    } catch (IOException | ParserConfigurationException e) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " cannot be parsed: " + e.getMessage());
    }
    Element root = document.getDocumentElement();
    if (!"PublishData".equals(root.getLocalName() != null ? root.getLocalName() : root.getTagName())) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " has the root element <" + root.getTagName()
          + ">, not <PublishData>: it is not a publish-settings file.");
    }
    NodeList profiles = root.getElementsByTagName("PublishProfile");
    if (profiles.getLength() == 0) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " has no <PublishProfile>.");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    for (int p = 0; p < profiles.getLength(); p++) {
      Element profile = (Element) profiles.item(p);
      NodeList nodes = profile.getElementsByTagName("Subscription");
      for (int i = 0; i < nodes.getLength(); i++) {
        subscriptions.add(subscription((Element) nodes.item(i), profile, origin));
      }
    }
    if (subscriptions.isEmpty()) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " lists no <Subscription>: download it "
          + "again for the subscription that holds the storage account.");
    }
    return new PublishSettings(List.copyOf(subscriptions));
  }

  /** The subscription with this id, or an exception that says why it cannot be used. */
  public Subscription subscription(String subscriptionId) {
    if (subscriptionId == null || !GUID.matcher(subscriptionId).matches()) {
      throw new InvalidPublishSettingsException("Subscription id '" + subscriptionId + "' is not a GUID.");
    }
    return subscriptions.stream().filter(s -> s.id().equalsIgnoreCase(subscriptionId)).findFirst()
        .orElseThrow(() -> new InvalidPublishSettingsException("Subscription " + subscriptionId
            + " is not in the publish-settings file (it lists " + String.join(", ", subscriptions.stream().map(Subscription::id).toList())
            + "): use one of those, or download the file of the right subscription."));
  }

  /** The problems of a request's publish-settings file, for the request check; empty when usable. */
  public static List<String> problems(Path file, String subscriptionId) {
    try {
      read(file).subscription(subscriptionId);
      return List.of();
    } catch (InvalidPublishSettingsException e) {
      return List.of(e.getMessage());
    }
  }

  private static Subscription subscription(Element element, Element profile, String origin) {
    String id = element.getAttribute("Id");
    String name = element.getAttribute("Name");
    String url = element.getAttribute("ServiceManagementUrl");
    if (url.isEmpty()) {
      url = profile.getAttribute("Url");
    }
    if (id.isEmpty()) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " has a <Subscription> without an Id.");
    }
    if (!GUID.matcher(id).matches()) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + " has a subscription Id '" + id
          + "' that is not a GUID.");
    }
    if (url.isEmpty()) {
      throw new InvalidPublishSettingsException("Publish-settings file " + origin + ": subscription " + id
          + " has no ServiceManagementUrl, so its cloud is unknown.");
    }
    String managementUrl = url;
    Cloud cloud = Cloud.ofManagementUrl(url).orElseThrow(() -> new InvalidPublishSettingsException("Publish-settings file "
        + origin + ": subscription " + id + " names the management URL " + managementUrl + ", which is not the public, "
        + "US-government or China cloud."));
    String certificate = element.getAttribute("ManagementCertificate");
    if (certificate.isEmpty()) {
      certificate = profile.getAttribute("ManagementCertificate");
    }
    if (!certificate.isEmpty()) {
      try {
        Base64.getMimeDecoder().decode(certificate);
      } catch (IllegalArgumentException e) {
        throw new InvalidPublishSettingsException("Publish-settings file " + origin + ": the management certificate of "
            + "subscription " + id + " is not base64; download the file again.");
      }
    }
    return new Subscription(id, name, managementUrl, cloud);
  }

  private static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    factory.setNamespaceAware(false);
    return factory;
  }
}

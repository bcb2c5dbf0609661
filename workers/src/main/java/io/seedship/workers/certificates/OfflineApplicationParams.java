package io.seedship.workers.certificates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What {@code CreateNewApplication} hands to the server and {@code AddRegistryEntries} reads back: the
 * format is documented in docs/offline-application-params.md. It holds identifiers and the certificate's
 * thumbprint, never key material.
 */
public record OfflineApplicationParams(String subscriptionId, String tenantId, String azureUserId, String applicationName,
                                       String applicationId, String applicationObjectId, String certificateSubject,
                                       String certificateThumbprint, String storageAccountName) {

  public static final String NAMESPACE = "https://seedship.io/schema/offline-application-params/1";
  public static final String FILE_NAME = "OfflineApplicationParams.xml";

  public static String fileNameFor(String storageAccountName) {
    return "OfflineApplicationParams_" + storageAccountName + ".xml";
  }

  public OfflineApplicationParams forStorageAccount(String storageAccount) {
    return new OfflineApplicationParams(subscriptionId, tenantId, azureUserId, applicationName, applicationId,
        applicationObjectId, certificateSubject, certificateThumbprint, storageAccount);
  }

  public String toXml() {
    Map<String, String> fields = fields();
    try {
      StringWriter out = new StringWriter();
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("OfflineApplicationParams");
      xml.writeDefaultNamespace(NAMESPACE);
      for (Map.Entry<String, String> field : fields.entrySet()) {
        if (field.getValue() != null) {
          xml.writeCharacters("\n  ");
          xml.writeStartElement(field.getKey());
          xml.writeCharacters(field.getValue());
          xml.writeEndElement();
        }
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
      return out + "\n";
    } catch (XMLStreamException e) {
      throw new IllegalStateException("Writing OfflineApplicationParams failed", e);
    }
  }

  public static OfflineApplicationParams parse(String xml, String origin) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setNamespaceAware(true);
      Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
          .getDocumentElement();
      if (!"OfflineApplicationParams".equals(root.getLocalName())) {
        throw new IllegalArgumentException(origin + " is not an OfflineApplicationParams file (root <" + root.getTagName() + ">).");
      }
      for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          values.put(e.getLocalName(), e.getTextContent().trim());
        }
      }
    } catch (SAXException | IOException | ParserConfigurationException e) {
      throw new IllegalArgumentException(origin + " is not well-formed XML (" + e.getMessage() + ").", e);
    }
    for (String required : new String[] {"SubscriptionId", "TenantId", "ApplicationId", "CertificateThumbprint", "AzureUserId"}) {
      if (values.getOrDefault(required, "").isEmpty()) {
        throw new IllegalArgumentException(origin + " has no <" + required + ">: run CreateNewApplication again to regenerate it.");
      }
    }
    return new OfflineApplicationParams(values.get("SubscriptionId"), values.get("TenantId"), values.get("AzureUserId"),
        values.get("ApplicationName"), values.get("ApplicationId"), values.get("ApplicationObjectId"),
        values.get("CertificateSubject"), values.get("CertificateThumbprint"), values.get("StorageAccountName"));
  }

  private Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("SubscriptionId", subscriptionId);
    f.put("TenantId", tenantId);
    f.put("AzureUserId", azureUserId);
    f.put("ApplicationName", applicationName);
    f.put("ApplicationId", applicationId);
    f.put("ApplicationObjectId", applicationObjectId);
    f.put("CertificateSubject", certificateSubject);
    f.put("CertificateThumbprint", certificateThumbprint);
    f.put("StorageAccountName", storageAccountName);
    return f;
  }
}

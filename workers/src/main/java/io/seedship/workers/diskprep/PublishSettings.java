package io.seedship.workers.diskprep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The publish-settings file ({@code p:} of the command line): its subscription, so a copy computer that is
 * not the source computer knows which subscription the import job belongs to. The management
 * certificate inside it is not read.
 */
public record PublishSettings(String subscriptionId, String subscriptionName) {

  public static PublishSettings read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DiskPrepException("The publish-settings file " + file + " does not exist: download it from the portal and give its path.");
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      Element root = builder.parse(file.toFile()).getDocumentElement();
      if (!root.getTagName().equals("PublishData")) {
        throw new DiskPrepException("The file " + file + " is not a publish-settings file (its root is <" + root.getTagName()
            + ">, not <PublishData>): download the publish-settings file from the portal.");
      }
      NodeList subscriptions = root.getElementsByTagName("Subscription");
      if (subscriptions.getLength() == 0) {
        throw new DiskPrepException("The publish-settings file " + file + " names no subscription: download it again from the portal.");
      }
      Element subscription = (Element) subscriptions.item(0);
      String id = subscription.getAttribute("Id");
      if (id.isBlank()) {
        throw new DiskPrepException("The publish-settings file " + file + " has a subscription without an Id: download it again.");
      }
      return new PublishSettings(id.strip(), subscription.getAttribute("Name").strip());
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new DiskPrepException("The publish-settings file " + file + " cannot be read (" + e.getMessage()
          + "): download it again from the portal.", e);
    }
  }
}

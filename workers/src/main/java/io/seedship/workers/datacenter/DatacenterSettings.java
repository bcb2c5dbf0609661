package io.seedship.workers.datacenter;

import java.time.Duration;
import java.util.List;

/**
 * The datacenter's address, carriers and times. The two 14-day rules are the service's; transit and processing
 * times are realistic by default and tiny in tests.
 */
public record DatacenterSettings(String shipToAddress, List<String> carriers, Duration creatingExpiry, Duration shippingWindow,
                                 Duration transitTime, Duration receiptToTransfer, Duration packagingTime) {

  public static final int MAX_DRIVES = 10;

  public DatacenterSettings {
    carriers = List.copyOf(carriers);
  }

  public static DatacenterSettings defaults() {
    return new DatacenterSettings("Seedship local datacenter, Import/Export receiving, 1 Dock Street, 10115 Berlin, DE",
        List.of("DHL", "FedEx", "UPS", "TNT", "Royal Mail", "USPS"), Duration.ofDays(14), Duration.ofDays(14), Duration.ofDays(3),
        Duration.ofDays(1), Duration.ofDays(1));
  }

  public DatacenterSettings withTransitTime(Duration transit) {
    return new DatacenterSettings(shipToAddress, carriers, creatingExpiry, shippingWindow, transit, receiptToTransfer,
        packagingTime);
  }

  public DatacenterSettings withProcessingTimes(Duration toTransfer, Duration packaging) {
    return new DatacenterSettings(shipToAddress, carriers, creatingExpiry, shippingWindow, transitTime, toTransfer, packaging);
  }
}

package io.seedship.workers.datacenter;

import java.util.List;

/** What creating an import job takes. */
public record JobRequest(String name, String storageAccount, String container, List<DriveSpec> drives, String returnAddress,
                         String contact, boolean verboseLog) {

  public JobRequest {
    DriveSpec.require(name, "import job name");
    DriveSpec.require(storageAccount, "storage account");
    DriveSpec.require(container, "blob container");
    DriveSpec.require(returnAddress, "return address");
    DriveSpec.require(contact, "contact");
    drives = List.copyOf(drives);
  }
}

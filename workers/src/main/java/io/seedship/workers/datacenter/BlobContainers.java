package io.seedship.workers.datacenter;

import com.azure.storage.blob.BlobContainerClient;

/** The blob containers the datacenter imports into, by storage account and container name. */
public interface BlobContainers {

  /** The container, created when missing (Import/Export creates it too). */
  BlobContainerClient container(String storageAccount, String container);
}

package io.seedship.workers.datacenter;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;

/** Every storage account name maps onto one blob service (Azurite has one account). */
public final class SingleAccountContainers implements BlobContainers {

  private final BlobServiceClient service;

  public SingleAccountContainers(BlobServiceClient service) {
    this.service = service;
  }

  @Override
  public BlobContainerClient container(String storageAccount, String container) {
    BlobContainerClient client = service.getBlobContainerClient(container);
    client.createIfNotExists();
    return client;
  }
}

package io.seedship.workers.repository;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the engine's own background work, with its failures rethrown as they were thrown. */
final class Futures {

  private Futures() {
  }

  /** The task's result; its IOException, InterruptedException or RuntimeException as thrown, anything else wrapped. */
  static <T> T await(Future<T> task, String doing) throws IOException, InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new RepositoryException("The backup failed while " + doing + ": " + cause, cause);
    }
  }
}

package io.seedship.workers.repository;

import java.util.Comparator;

/** Depth-first order with children sorted by name: the order of every tree stream (docs §6). */
final class TreeOrder implements Comparator<String> {

  static final TreeOrder INSTANCE = new TreeOrder();

  @Override
  public int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty()) {
      return -1;
    }
    if (b.isEmpty()) {
      return 1;
    }
    int i = 0;
    int j = 0;
    while (true) {
      int endA = a.indexOf('/', i);
      int endB = b.indexOf('/', j);
      String partA = a.substring(i, endA < 0 ? a.length() : endA);
      String partB = b.substring(j, endB < 0 ? b.length() : endB);
      int c = partA.compareTo(partB);
      if (c != 0) {
        return c;
      }
      if (endA < 0) {
        return -1;
      }
      if (endB < 0) {
        return 1;
      }
      i = endA + 1;
      j = endB + 1;
    }
  }
}

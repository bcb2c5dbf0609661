package io.seedship.workers.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code command --option value --flag} arguments; unknown options are errors, not ignored. */
final class CommandLine {

  private final String command;
  private final Map<String, List<String>> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  CommandLine(String[] args, Set<String> knownFlags, Set<String> knownOptions) {
    if (args.length == 0) {
      throw new UsageException("No command given.");
    }
    this.command = args[0];
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (knownFlags.contains(arg)) {
        flags.add(arg);
      } else if (knownOptions.contains(arg)) {
        if (i + 1 >= args.length) {
          throw new UsageException("Option " + arg + " needs a value.");
        }
        options.computeIfAbsent(arg, k -> new ArrayList<>()).add(args[++i]);
      } else {
        throw new UsageException("Unknown argument '" + arg + "'.");
      }
    }
  }

  String command() {
    return command;
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  String option(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.get(values.size() - 1);
  }

  String required(String name) {
    String value = option(name, null);
    if (value == null) {
      throw new UsageException("Option " + name + " is required for '" + command + "'.");
    }
    return value;
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  static long size(String text) {
    try {
      return io.seedship.workers.Sizes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage() + ".");
    }
  }

  /** A mistake in the command line: print usage and exit 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}

package io.seedship.workers.diskprep.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/** Asks the operator at the terminal: prints the question, reads one line (null at the end of input). */
final class Prompt {

  private Prompt() {
  }

  static String ask(BufferedReader in, PrintStream out, String question) throws IOException {
    out.print(question);
    out.flush();
    String line = in.readLine();
    if (line == null) {
      out.println();
    }
    return line;
  }
}

package io.seedship.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SeedshipApplication {

  public static void main(String[] args) {
    SpringApplication.run(SeedshipApplication.class, args);
  }
}

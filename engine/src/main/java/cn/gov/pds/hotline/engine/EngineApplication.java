package cn.gov.pds.hotline.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Hosts the Operaton process engine and its REST API (/engine-rest).
 * Everything is configured in application.yaml; processes are deployed over REST.
 */
@SpringBootApplication
public class EngineApplication {
  public static void main(String[] args) {
    SpringApplication.run(EngineApplication.class, args);
  }
}

package io.seedship.web.engine;

import java.sql.SQLException;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo profile's H2 file database is embedded in this application; the worker of the run command (the local
 * datacenter's and the vault catalogue's tables) reaches the same database through H2's TCP server, listening on
 * the loopback interface only ({@code SEEDSHIP_DB_TCP_PORT}, default 9092), e.g.
 * {@code jdbc:h2:tcp://localhost:9092/<data>/seedship}. Not for production: use PostgreSQL there.
 */
@Configuration
@Profile("demo")
class DemoDatabaseServer {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabaseServer.class);

  @Bean(destroyMethod = "stop")
  Server demoDatabaseTcpServer(@Value("${SEEDSHIP_DB_TCP_PORT:9092}") int port) throws SQLException {
    Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifExists").start();
    log.info("Demo database open to local workers at {}", server.getURL());
    return server;
  }
}

# A Seedship worker (a copy computer): the backup engine and the external-task handlers, talking to the
# engine through /engine-rest.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY db-migrations db-migrations
COPY processes processes
COPY workers workers
COPY web web
RUN mvn -B -ntp -DskipTests -pl workers -am package

# Java 17 bytecode; the runtime is the newest LTS, whose AES-GCM, SHA-256 and JIT make the heavy work faster
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10002 --home-dir /var/lib/seedship seedship \
 && mkdir -p /opt/seedship /var/lib/seedship/keys && chown -R seedship /var/lib/seedship && chmod 700 /var/lib/seedship/keys
COPY --from=build /src/workers/target/seedship-workers-*-exec.jar /opt/seedship/seedship-workers.jar
USER seedship
ENTRYPOINT ["java", "-Xmx512m", "-jar", "/opt/seedship/seedship-workers.jar"]
CMD ["worker"]

# The Seedship web application: engine, Tasklist/Cockpit/Admin, /engine-rest and /api.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY db-migrations db-migrations
COPY processes processes
COPY workers workers
COPY web web
RUN mvn -B -ntp -DskipTests -pl web -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/seedship seedship \
 && mkdir -p /opt/seedship /var/lib/seedship && chown seedship /var/lib/seedship
COPY --from=build /src/web/target/seedship-web-*-SNAPSHOT.jar /opt/seedship/seedship-web.jar
USER seedship
ENV SEEDSHIP_DATA=/var/lib/seedship \
    SPRING_PROFILES_ACTIVE=postgres
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/seedship/seedship-web.jar"]

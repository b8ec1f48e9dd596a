# One image per Archfarm service, from one build stage: docker compose build (see docker-compose.yml). Each stage
# installs the tools its part runs, as the launcher's prerequisites do on a host, and curl for its healthcheck.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl portal,scheduler,worker-agent -am package

# The portal asks git which commit a ref is (git ls-remote) before it accepts a build.
FROM eclipse-temurin:21-jre AS portal
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/portal/target/portal-0.1.0-SNAPSHOT-exec.jar /opt/archfarm/portal.jar
ENV SERVER_ADDRESS=0.0.0.0 SERVER_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/archfarm/portal.jar"]

FROM eclipse-temurin:21-jre AS scheduler
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/scheduler/target/scheduler-0.1.0-SNAPSHOT-exec.jar /opt/archfarm/scheduler.jar
ENV SERVER_ADDRESS=0.0.0.0 SERVER_PORT=8081
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/opt/archfarm/scheduler.jar"]

# A build host: buildah (as root; overlay storage when the work directory is a volume on a filesystem that can hold
# an overlay upper directory, else vfs: the worker probes at start), skopeo for the push by digest, git for the
# source, qemu-user-static for the foreign platforms whose binfmt_misc entries name an interpreter inside the container.
FROM eclipse-temurin:21-jre AS worker
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends buildah skopeo git qemu-user-static \
        iproute2 nftables runc \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/worker-agent/target/worker-agent-0.1.0-SNAPSHOT-exec.jar /opt/archfarm/worker-agent.jar
COPY scripts/worker-alive.sh /opt/archfarm/worker-alive.sh
ENV ARCHFARM_WORKER_WORK_DIR=/var/lib/archfarm/worker
VOLUME /var/lib/archfarm/worker
ENTRYPOINT ["java", "-jar", "/opt/archfarm/worker-agent.jar"]

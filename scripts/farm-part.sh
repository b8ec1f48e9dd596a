#!/usr/bin/env bash
# farm-part.sh portal|scheduler|worker [application arguments...]: runs one part of the farm in this process (exec).
#
# The one place that knows how a part of the farm is started as a JVM: its runnable jar, the Java it runs on and the
# JVM options. ./archfarm (up, worker), the e2e tests' Farm (through ProcessBuilder) and the benchmark scripts start
# the portal, the scheduler and the workers through it, so that a JVM option is added here once. What a part is told
# (ports, database, broker, keys) comes from the environment as Spring Boot reads it (SPRING_*, SERVER_*,
# ARCHFARM_*), set by the caller: that differs by deployment; application arguments (--server.port=0) are passed on.
#
# Environment: JAVA_HOME (a JDK 21 or newer; without one, scripts/pick-jdk.sh picks the newest under /usr/lib/jvm),
# ARCHFARM_JAVA_OPTS (the JVM options; the default is small heaps and quick start-ups for a farm on one host).
# docker-compose.yml starts the same jars in containers its own way (docs/ARCHITECTURE.md, "Starting the farm's
# processes").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_JAVA_OPTS="-Xms32m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"

die() { echo "farm-part: $*" >&2; exit 1; }

case ${1:-} in
    portal | scheduler) module=$1 ;;
    worker) module=worker-agent ;;
    *) die "usage: farm-part.sh portal|scheduler|worker [application arguments...]" ;;
esac
shift
jar=$ROOT/$module/target/$module-0.1.0-SNAPSHOT-exec.jar
[[ -f $jar ]] || die "$jar is missing: build it first (./mvnw -B -DskipTests package; ./archfarm up builds it)"

# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
read -r -a java_opts <<<"${ARCHFARM_JAVA_OPTS:-$DEFAULT_JAVA_OPTS}"
exec "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$jar" "$@"

#!/usr/bin/env bash
# What a Prometheus scrape costs the portal and the scheduler on a farm with 100,000 builds: the server time of
# GET /actuator/prometheus (median, p95, max) and the size of its answer, and what the gauges' background read from
# PostgreSQL costs (archfarm_gauges_refresh_seconds, every archfarm.metrics.database-refresh). Needs what
# ./archfarm installs (a JDK >= 21, Maven, PostgreSQL, RabbitMQ, curl) and root for rabbitmqctl: it creates a
# database of its own (archfarm_metricsbench_<time>) seeded by scripts/bench-seed.sql and a RabbitMQ virtual host of
# its own for the scheduler, starts the portal and the scheduler jars on free loopback ports (built when missing or
# stale), scrapes from loopback as a Prometheus on the host would, then stops both and drops the database and the
# virtual host. It prints figures and asserts nothing about them.
#
# Settings: METRICSBENCH_BUILDS (100000), METRICSBENCH_DAYS (90), METRICSBENCH_RUNS (100), METRICSBENCH_WARMUP (20),
# METRICSBENCH_JAVA_OPTS, ARCHFARM_DB_URL (only its host and port are used), ARCHFARM_DB_USER, ARCHFARM_DB_PASSWORD,
# ARCHFARM_START_TIMEOUT (s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILDS=${METRICSBENCH_BUILDS:-100000}
DAYS=${METRICSBENCH_DAYS:-90}
RUNS=${METRICSBENCH_RUNS:-100}
WARMUP=${METRICSBENCH_WARMUP:-20}
JAVA_OPTS=${METRICSBENCH_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC}
DB_URL=${ARCHFARM_DB_URL:-jdbc:postgresql://127.0.0.1:5432/archfarm}
DB_USER=${ARCHFARM_DB_USER:-postgres}
START_TIMEOUT=${ARCHFARM_START_TIMEOUT:-180}

die() { echo "metrics-benchmark: $*" >&2; exit 1; }
say() { echo "metrics-benchmark: $*"; }

for tool in curl psql awk sed sort rabbitmqctl; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (./archfarm up installs it)"
done
[[ $DB_URL =~ ^jdbc:postgresql://([^/:]+)(:([0-9]+))?/ ]] || die "ARCHFARM_DB_URL '$DB_URL' is not jdbc:postgresql://host[:port]/database"
DB_HOST=${BASH_REMATCH[1]}
DB_PORT=${BASH_REMATCH[3]:-5432}
NAME=archfarm_metricsbench_$(date -u +%Y%m%d%H%M%S)_$$
DB=$NAME
VHOST=$NAME
export PGPASSWORD=${ARCHFARM_DB_PASSWORD:-}
PSQL=(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -X -q -v ON_ERROR_STOP=1)

# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"

# The runnable jar of <module>, built with the other one when missing or older than what it is built from.
jar_of() {
    local jars=("$ROOT/$1/target/$1"-*-exec.jar)
    local jar=${jars[0]}
    if [[ ! -f $jar ]] || [[ -n $(find "$ROOT/pom.xml" "$ROOT/$1/pom.xml" "$ROOT/$1/src/main" \
        "$ROOT/db-migrations/src/main" "$ROOT/shared-model/src/main" "$ROOT/topology-config/src/main" \
        "$ROOT/outbox/src/main" -type f -newer "$jar" -print -quit) ]]; then
        say "building the jars (./mvnw -B -q -DskipTests package -pl portal,scheduler -am)" >&2
        (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl portal,scheduler -am >&2) || die "the Maven build failed"
        jars=("$ROOT/$1/target/$1"-*-exec.jar)
        jar=${jars[0]}
        [[ -f $jar ]] || die "the Maven build made no $1/target/$1-*-exec.jar"
    fi
    echo "$jar"
}

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 \
        || echo "metrics-benchmark: could not drop database $DB; drop it by hand" >&2
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# start <portal|scheduler> [--arguments]: started by scripts/farm-part.sh as ./archfarm starts it; sets BASE to the
# part's base URL once it answers healthy
start() {
    local name=$1 log=$WORK/$1.log port="" deadline=$((SECONDS + START_TIMEOUT))
    shift
    ARCHFARM_SECURITY_SECRET_KEY=$SECRET_KEY ARCHFARM_ADMIN_PASSWORD=$ADMIN_PASSWORD ARCHFARM_JAVA_OPTS=$JAVA_OPTS \
        "$ROOT/scripts/farm-part.sh" "$name" --server.port=0 --server.address=127.0.0.1 \
        --spring.datasource.url="jdbc:postgresql://$DB_HOST:$DB_PORT/$DB" --spring.datasource.username="$DB_USER" \
        --spring.datasource.password="$PGPASSWORD" "$@" >"$log" 2>&1 </dev/null &
    PIDS+=($!)
    until [[ -n $port ]]; do
        kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -n 30 "$log" >&2; die "the $name stopped while starting"; }
        ((SECONDS < deadline)) || die "the $name did not start within ${START_TIMEOUT}s"
        port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$log" | head -n1)
        sleep 0.5
    done
    until curl -fsS --max-time 3 "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; do
        ((SECONDS < deadline)) || die "the $name on port $port is not healthy after ${START_TIMEOUT}s"
        sleep 0.5
    done
    BASE=http://127.0.0.1:$port
}

# scrapes <runs> <base URL>: one "seconds bytes" line per scrape; any answer but 200 stops the benchmark
scrapes() {
    local i answer
    for ((i = 0; i < $1; i++)); do
        answer=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' "$2/actuator/prometheus")
        [[ $answer == 200\ * ]] || die "GET $2/actuator/prometheus answered ${answer%% *}"
        echo "${answer#* }"
    done
}

summary() { sort -n | awk '{ v[NR] = $1 * 1000; b = $2 } END {
    printf "median %5.1f ms   p95 %5.1f ms   max %5.1f ms   %d bytes   (n=%d)", v[int((NR + 1) / 2)],
        v[int(NR * 0.95 + 0.999)], v[NR], b, NR }'; }

# "count sum" of archfarm_gauges_refresh_seconds in one scrape
refresh_totals() {
    curl -fsS "$1/actuator/prometheus" | awk '/^archfarm_gauges_refresh_seconds_count / { n = $2 }
        /^archfarm_gauges_refresh_seconds_sum / { s = $2 } END { print n + 0, s + 0 }'
}

# refresh_cost <"count sum" before> <"count sum" after>: the mean read between the two, in ms
refresh_cost() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); n = y[1] - x[1]
        printf "%d reads, mean %.1f ms", n, n ? (y[2] - x[2]) / n * 1000 : 0 }'
}

pick_jdk
jar_of portal >/dev/null
jar_of scheduler >/dev/null
SECRET_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_PASSWORD=bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
"${PSQL[@]}" -d postgres -c "create database $DB" || die "cannot create database $DB on $DB_HOST:$DB_PORT as $DB_USER"
rabbitmqctl -q add_vhost "$VHOST" || die "cannot make the RabbitMQ virtual host $VHOST"
rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' || die "cannot let guest use the virtual host $VHOST"
say "database and virtual host $NAME; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1) ($JAVA_OPTS)"
start portal --archfarm.security.admin-password-file="$WORK/admin-password"
PORTAL=$BASE
say "portal at $PORTAL (migrations applied); seeding $BUILDS builds over $DAYS days"
seed_start=$SECONDS
"${PSQL[@]}" -d "$DB" -v builds="$BUILDS" -v days="$DAYS" -f "$ROOT/scripts/bench-seed.sql" >/dev/null
"${PSQL[@]}" -d "$DB" -c "vacuum analyze"
say "seeded in $((SECONDS - seed_start)) s: $("${PSQL[@]}" -d "$DB" -tA -c "select count(*) || ' builds, ' ||
    (select count(*) from platform_jobs) || ' platform jobs' from builds")"
start scheduler --spring.rabbitmq.virtual-host="$VHOST"
SCHEDULER=$BASE
say "scheduler at $SCHEDULER; both read their gauges every 15 s, measuring three reads each"
sleep 2
before_portal=$(refresh_totals "$PORTAL")
before_scheduler=$(refresh_totals "$SCHEDULER")
sleep 45

for part in portal scheduler; do
    base=$PORTAL
    [[ $part == scheduler ]] && base=$SCHEDULER
    scrapes "$WARMUP" "$base" >/dev/null
    scrapes "$RUNS" "$base" >"$WORK/$part.times"
    echo "== $part: GET /actuator/prometheus, $RUNS scrapes after $WARMUP to warm up"
    printf '  %-22s %s\n' "server time, size" "$(summary <"$WORK/$part.times")"
    printf '  %-22s %s\n' "series (lines)" "$(curl -fsS "$base/actuator/prometheus" | grep -vc '^#')"
    before=$before_portal
    [[ $part == scheduler ]] && before=$before_scheduler
    printf '  %-22s %s\n' "the gauges' read" "$(refresh_cost "$before" "$(refresh_totals "$base")")"
done

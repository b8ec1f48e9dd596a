#!/usr/bin/env bash
# Server time of the team dashboard (GET /) for a team with 100,000 builds, median and p95, and of each panel's own
# route (the htmx refreshes). Needs nothing but what ./archfarm installs (a JDK >= 21, Maven, PostgreSQL, curl): it
# creates a database of its own (archfarm_dashbench_<time>), starts the portal jar on a free port against it (with
# a throwaway secret key and admin password; the jar is built when missing or older than the sources), seeds one team
# with psql and generate_series, signs in through the form as a browser does, warms up, times the requests with
# curl, then stops the portal and drops the database. It prints figures and asserts nothing about them.
#
# The 30-day statistics (success rates, durations) are kept per team and recomputed in the background when older than
# archfarm.dashboard.statistics-refresh-after (60 s), so a second round restarts the portal with every view
# recomputing them (statistics-expire-after=0s): what a view costs when nothing is kept.
#
# Settings: DASHBENCH_BUILDS (100000), DASHBENCH_DAYS (90), DASHBENCH_RUNS (200), DASHBENCH_WARMUP (20),
# DASHBENCH_PANEL_RUNS (100, per panel route), DASHBENCH_UNKEPT_RUNS (30; 0 skips the second round),
# DASHBENCH_JAVA_OPTS, ARCHFARM_DB_URL (only its host and port are used), ARCHFARM_DB_USER, ARCHFARM_DB_PASSWORD,
# ARCHFARM_START_TIMEOUT (s).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILDS=${DASHBENCH_BUILDS:-100000}
DAYS=${DASHBENCH_DAYS:-90}
RUNS=${DASHBENCH_RUNS:-200}
WARMUP=${DASHBENCH_WARMUP:-20}
PANEL_RUNS=${DASHBENCH_PANEL_RUNS:-100}
UNKEPT_RUNS=${DASHBENCH_UNKEPT_RUNS:-30}
JAVA_OPTS=${DASHBENCH_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC}
DB_URL=${ARCHFARM_DB_URL:-jdbc:postgresql://127.0.0.1:5432/archfarm}
DB_USER=${ARCHFARM_DB_USER:-postgres}
START_TIMEOUT=${ARCHFARM_START_TIMEOUT:-180}
PANELS=(active recent success-rate durations queue workers)

die() { echo "dashboard-benchmark: $*" >&2; exit 1; }
say() { echo "dashboard-benchmark: $*"; }

for tool in curl psql awk sed sort; do command -v "$tool" >/dev/null || die "'$tool' is missing (./archfarm up installs it)"; done
[[ $DB_URL =~ ^jdbc:postgresql://([^/:]+)(:([0-9]+))?/ ]] || die "ARCHFARM_DB_URL '$DB_URL' is not jdbc:postgresql://host[:port]/database"
DB_HOST=${BASH_REMATCH[1]}
DB_PORT=${BASH_REMATCH[3]:-5432}
DB=archfarm_dashbench_$(date -u +%Y%m%d%H%M%S)_$$
export PGPASSWORD=${ARCHFARM_DB_PASSWORD:-}
PSQL=(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -X -q -v ON_ERROR_STOP=1)

# ---------------------------------------------------------------- the JDK, as ./archfarm picks it

# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"

# The portal jar, built when missing or older than what it is built from.
portal_jar() {
    local jars=("$ROOT"/portal/target/portal-*-exec.jar)
    local jar=${jars[0]}
    if [[ ! -f $jar ]] || [[ -n $(find "$ROOT/pom.xml" "$ROOT/portal/pom.xml" "$ROOT/portal/src/main" \
        "$ROOT/db-migrations/src/main" "$ROOT/shared-model/src/main" "$ROOT/topology-config/src/main" \
        "$ROOT/outbox/src/main" -type f -newer "$jar" -print -quit) ]]; then
        say "building the portal jar (./mvnw -B -q -DskipTests package -pl portal -am)" >&2
        (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl portal -am >&2) || die "the Maven build failed"
        jars=("$ROOT"/portal/target/portal-*-exec.jar)
        jar=${jars[0]}
        [[ -f $jar ]] || die "the Maven build made no portal/target/portal-*-exec.jar"
    fi
    echo "$jar"
}

# ---------------------------------------------------------------- the portal and its database

WORK=$(mktemp -d)
PORTAL_PID=""
stop_portal() {
    if [[ -n $PORTAL_PID ]] && kill -0 "$PORTAL_PID" 2>/dev/null; then
        kill "$PORTAL_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$PORTAL_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$PORTAL_PID" 2>/dev/null || true
    fi
    PORTAL_PID=""
}
cleanup() {
    stop_portal
    "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 \
        || echo "dashboard-benchmark: could not drop database $DB; drop it by hand" >&2
    rm -rf "$WORK"
}
trap cleanup EXIT

# start_portal <log name> [extra --arguments]: started by scripts/farm-part.sh as ./archfarm starts it; sets PORTAL
# to its base URL once it answers healthy
start_portal() {
    local log=$WORK/$1.log port="" deadline=$((SECONDS + START_TIMEOUT))
    shift
    ARCHFARM_SECURITY_SECRET_KEY=$SECRET_KEY ARCHFARM_ADMIN_PASSWORD=$ADMIN_PASSWORD ARCHFARM_JAVA_OPTS=$JAVA_OPTS \
        "$ROOT/scripts/farm-part.sh" portal --server.port=0 --server.address=127.0.0.1 \
        --spring.datasource.url="jdbc:postgresql://$DB_HOST:$DB_PORT/$DB" --spring.datasource.username="$DB_USER" \
        --spring.datasource.password="$PGPASSWORD" --spring.datasource.hikari.maximum-pool-size=4 \
        --archfarm.security.admin-password-file="$WORK/admin-password" "$@" >"$log" 2>&1 </dev/null &
    PORTAL_PID=$!
    until [[ -n $port ]]; do
        kill -0 "$PORTAL_PID" 2>/dev/null || { tail -n 30 "$log" >&2; die "the portal stopped while starting ($log above)"; }
        ((SECONDS < deadline)) || die "the portal did not start within ${START_TIMEOUT}s"
        port=$(sed -n 's/.*Tomcat started on port \([0-9][0-9]*\).*/\1/p' "$log" | head -n1)
        sleep 0.5
    done
    PORTAL=http://127.0.0.1:$port
    until curl -fsS --max-time 3 "$PORTAL/actuator/health" 2>/dev/null | grep -q '"UP"'; do
        ((SECONDS < deadline)) || die "the portal at $PORTAL is not healthy after ${START_TIMEOUT}s"
        sleep 0.5
    done
}

# Signs in through the form: the CSRF token and session cookie from GET /login, then POST /login.
sign_in() {
    local csrf answer
    rm -f "$WORK/cookies"
    csrf=$(curl -fsS -c "$WORK/cookies" -b "$WORK/cookies" "$PORTAL/login" \
        | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -n1)
    [[ -n $csrf ]] || die "no CSRF token on $PORTAL/login"
    answer=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -c "$WORK/cookies" -b "$WORK/cookies" \
        --data-urlencode "username=admin" --data-urlencode "password=$ADMIN_PASSWORD" \
        --data-urlencode "_csrf=$csrf" "$PORTAL/login")
    [[ $answer == 302* && $answer != *error* ]] || die "signing in failed: $answer"
}

# time_requests <runs> <path>: one "seconds" line per request; any answer but 200 stops the benchmark
time_requests() {
    local i answer
    for ((i = 0; i < $1; i++)); do
        answer=$(curl -sS -o /dev/null -b "$WORK/cookies" -w '%{http_code} %{time_total}' "$PORTAL$2")
        [[ $answer == 200\ * ]] || die "GET $2 answered ${answer%% *}"
        echo "${answer#* }"
    done
}

# median and 95th percentile, in milliseconds, of the seconds on stdin
summary() { sort -n | awk '{ v[NR] = $1 * 1000 } END { printf "median %6.1f ms   p95 %6.1f ms   max %6.1f ms   (n=%d)",
    v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[NR], NR }'; }

report() { # label path runs
    time_requests "$3" "$2" > "$WORK/times"
    printf '  %-34s %s\n' "$1" "$(summary < "$WORK/times")"
}

# ---------------------------------------------------------------- the seed: one team, BUILDS builds over DAYS days

seed() {
    "${PSQL[@]}" -d "$DB" -v builds="$BUILDS" -v days="$DAYS" -f "$ROOT/scripts/bench-seed.sql" >/dev/null
    # as autovacuum would after such a load: fresh statistics, and a visibility map for index-only scans
    "${PSQL[@]}" -d "$DB" -c "vacuum analyze"
}

# ---------------------------------------------------------------- the run

pick_jdk
JAR=$(portal_jar)
SECRET_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_PASSWORD=bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
"${PSQL[@]}" -d postgres -c "create database $DB" || die "cannot create database $DB on $DB_HOST:$DB_PORT as $DB_USER"
say "database $DB; portal $JAR on $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1) ($JAVA_OPTS)"
start_portal portal
say "portal at $PORTAL (migrations applied); seeding $BUILDS builds over $DAYS days"
seed_start=$SECONDS
seed
say "seeded in $((SECONDS - seed_start)) s: $("${PSQL[@]}" -d "$DB" -tA -c "select count(*) || ' builds, ' ||
    (select count(*) from platform_jobs) || ' platform jobs, ' || (select count(*) from manifest_lists) ||
    ' manifest lists' from builds")"
sign_in
first=$(time_requests 1 / | awk '{ printf "%.1f", $1 * 1000 }')
time_requests "$WARMUP" / >/dev/null
for panel in "${PANELS[@]}"; do time_requests "$WARMUP" "/dashboard/$panel" >/dev/null; done

echo "== server time, $RUNS views of the dashboard after $WARMUP to warm up (the first view, which computed the" \
    "30-day statistics: $first ms)"
report "GET /" / "$RUNS"
echo "== each panel's own route (htmx refreshes), $PANEL_RUNS requests each"
for panel in "${PANELS[@]}"; do report "GET /dashboard/$panel" "/dashboard/$panel" "$PANEL_RUNS"; done

if ((UNKEPT_RUNS > 0)); then
    stop_portal
    start_portal portal-unkept --archfarm.dashboard.statistics-expire-after=0s
    sign_in
    time_requests 5 / >/dev/null
    echo "== nothing kept (statistics-expire-after=0s): every view computes the 30-day statistics, $UNKEPT_RUNS views"
    report "GET /" / "$UNKEPT_RUNS"
    report "GET /dashboard/durations" /dashboard/durations "$UNKEPT_RUNS"
fi

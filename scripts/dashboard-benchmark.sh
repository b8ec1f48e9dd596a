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

for tool in curl psql awk sed sort mvn; do command -v "$tool" >/dev/null || die "'$tool' is missing (./archfarm up installs it)"; done
[[ $DB_URL =~ ^jdbc:postgresql://([^/:]+)(:([0-9]+))?/ ]] || die "ARCHFARM_DB_URL '$DB_URL' is not jdbc:postgresql://host[:port]/database"
DB_HOST=${BASH_REMATCH[1]}
DB_PORT=${BASH_REMATCH[3]:-5432}
DB=archfarm_dashbench_$(date -u +%Y%m%d%H%M%S)_$$
export PGPASSWORD=${ARCHFARM_DB_PASSWORD:-}
PSQL=(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -X -q -v ON_ERROR_STOP=1)

# ---------------------------------------------------------------- the JDK, as ./archfarm picks it

java_major() {
    local version
    version=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    version=${version#1.}
    [[ $version =~ ^[0-9]+$ ]] && echo "$version" || echo 0
}

pick_jdk() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]]; then
        return
    fi
    local best="" best_major=0 candidate major
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x $candidate ]] || continue
        major=$(java_major "$candidate")
        if ((major > best_major)); then
            best_major=$major
            best=$(dirname "$(dirname "$candidate")")
        fi
    done
    ((best_major >= 21)) || die "no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm has none)"
    export JAVA_HOME=$best
}

# The portal jar, built when missing or older than what it is built from.
portal_jar() {
    local jar
    jar=$(ls "$ROOT"/portal/target/portal-*-exec.jar 2>/dev/null | head -n1 || true)
    if [[ -z $jar ]] || [[ -n $(find "$ROOT/pom.xml" "$ROOT/portal/pom.xml" "$ROOT/portal/src/main" \
        "$ROOT/db-migrations/src/main" "$ROOT/shared-model/src/main" -type f -newer "$jar" -print -quit) ]]; then
        say "building the portal jar (mvn -B -q -DskipTests package -pl portal -am)" >&2
        (cd "$ROOT" && mvn -B -q -DskipTests package -pl portal -am >&2) || die "the Maven build failed"
        jar=$(ls "$ROOT"/portal/target/portal-*-exec.jar | head -n1)
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

# start_portal <log name> [extra --arguments]: sets PORTAL to its base URL once it answers healthy
start_portal() {
    local log=$WORK/$1.log port="" deadline=$((SECONDS + START_TIMEOUT))
    shift
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    ARCHFARM_SECURITY_SECRET_KEY=$SECRET_KEY ARCHFARM_ADMIN_PASSWORD=$ADMIN_PASSWORD \
        "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$JAR" --server.port=0 --server.address=127.0.0.1 \
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
    "${PSQL[@]}" -d "$DB" -v builds="$BUILDS" -v days="$DAYS" >/dev/null <<'SQL'
select setseed(0.42);
insert into teams (id, slug, name, created_at)
values ('00000000-0000-0000-0000-0000000000b1', 'bench', 'Benchmark team', now() - interval '100 days');
insert into projects (id, team_id, slug, repository, default_branch, containerfile, context_dir, platforms, placement,
                      image, tag_templates, branch_filters, tag_filters, publish, webhook_secret, created_at, updated_at)
select ('00000000-0000-0000-0000-0000000001' || lpad(p::text, 2, '0'))::uuid, '00000000-0000-0000-0000-0000000000b1',
       'app-' || p, 'https://git.example.com/bench/app-' || p || '.git', 'main', 'Containerfile', '.',
       '["linux/amd64","linux/arm64","linux/s390x"]', 'NATIVE_PREFERRED', '127.0.0.1:5000/bench/app-' || p,
       '["{branch}"]', '["main"]', '[]', 'ALL', 'not-a-real-secret', now() - interval '100 days', now()
from generate_series(1, 8) p;

-- build 1 is the newest; 3 QUEUED and 5 RUNNING, the rest ended: ~85% SUCCEEDED, then FAILED, CANCELLED, PARTIAL
create temporary table seed_builds as
select i, gen_random_uuid() as id,
       ('00000000-0000-0000-0000-0000000001' || lpad((1 + i % 8)::text, 2, '0'))::uuid as project_id,
       now() - (i - 1) * (interval '1 day' * :days / :builds) - random() * interval '20 seconds' as created_at,
       case when i <= 3 then 'QUEUED' when i <= 8 then 'RUNNING'
            when r < 0.85 then 'SUCCEEDED' when r < 0.95 then 'FAILED' when r < 0.98 then 'CANCELLED'
            else 'PARTIAL' end as status,
       case when i % 3 = 0 then array['linux/amd64', 'linux/arm64']
            else array['linux/amd64', 'linux/arm64', 'linux/s390x'] end as platforms
from (select i, random() as r from generate_series(1, :builds) i) s;

-- one job per platform: amd64 native, arm64 native (60 %) or emulated, s390x emulated; a failing build fails its
-- last platform; emulated jobs take 4-6 times as long
create temporary table seed_jobs as
select j.*, case when status not in ('QUEUED', 'RUNNING') then started_at + seconds * interval '1 second' end
                as finished_at
from (select j.*, (case when mode = 'NATIVE' and platform = 'linux/amd64' then 90 + r * 120
                        when mode = 'NATIVE' then 110 + r * 150
                        when platform = 'linux/arm64' then 420 + r * 600
                        else 600 + r * 900 end) * case when status = 'SUCCEEDED' then 1 else 0.4 end as seconds
      from (select b.id as build_id, b.i, p.platform, b.created_at as queued_at,
                   case when b.status = 'QUEUED' or (b.status = 'RUNNING' and p.n > 1) then 'QUEUED'
                        when b.status = 'RUNNING' then 'RUNNING'
                        when b.status in ('FAILED', 'PARTIAL') and p.n = cardinality(b.platforms) then 'FAILED'
                        when b.status = 'CANCELLED' then 'CANCELLED'
                        else 'SUCCEEDED' end as status,
                   case when p.platform = 'linux/amd64' then 'NATIVE'
                        when p.platform = 'linux/arm64' and random() < 0.6 then 'NATIVE' else 'EMULATED' end as mode,
                   b.created_at + (2 + random() * 20) * interval '1 second' as started_at,
                   random() as r
            from seed_builds b cross join lateral unnest(b.platforms) with ordinality as p(platform, n)) j) j;

insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image, tags, platforms,
                    build_args, placement, publish, error, requested_by, created_at, started_at, finished_at,
                    team_id, project_id, build_number, trigger)
select b.id, b.status, 'https://git.example.com/bench/app.git',
       case when b.i % 7 = 0 then 'refs/heads/feature-' || (b.i % 50) else 'refs/heads/main' end, md5(b.i::text),
       'Containerfile', '.', '127.0.0.1:5000/bench/app', '["latest"]', to_jsonb(b.platforms), '{}',
       'NATIVE_PREFERRED', 'ALL', case when b.status in ('FAILED', 'PARTIAL') then 'a platform failed' end,
       'bench', b.created_at, case when b.status <> 'QUEUED' then t.started_at end,
       case when b.status not in ('QUEUED', 'RUNNING') then t.finished_at end,
       '00000000-0000-0000-0000-0000000000b1', b.project_id,
       row_number() over (partition by b.project_id order by b.created_at), 'WEBHOOK'
from seed_builds b
join (select build_id, min(started_at) as started_at, max(finished_at) as finished_at
      from seed_jobs group by build_id) t on t.build_id = b.id;
update projects p set last_build_number = (select max(build_number) from builds b where b.project_id = p.id)
where p.team_id = '00000000-0000-0000-0000-0000000000b1';

insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode, worker_id,
                           dispatched_native, dispatched_emulated, digest, image_size, media_type, error, exit_code,
                           build_millis, queued_at, started_at, finished_at)
select gen_random_uuid(), build_id, platform, 'NATIVE_PREFERRED', status,
       case when status = 'QUEUED' then 0 else 1 end, 3, case when status <> 'QUEUED' then mode end,
       case when status = 'QUEUED' then null when mode = 'NATIVE' then 'bench-native-' || (1 + i % 3)
            else 'bench-emulated-1' end,
       status <> 'QUEUED' and mode = 'NATIVE', status <> 'QUEUED' and mode = 'EMULATED',
       case when status = 'SUCCEEDED' then 'sha256:' || md5(build_id::text || platform) || md5(platform || build_id::text) end,
       case when status = 'SUCCEEDED' then 2000000 + (r * 5000000)::bigint end,
       case when status = 'SUCCEEDED' then 'application/vnd.oci.image.manifest.v1+json' end,
       case when status = 'FAILED' then 'step 3/5 RUN make: exit status 2' end,
       case when status = 'FAILED' then 2 end,
       case when finished_at is not null then (seconds * 1000)::bigint end,
       queued_at, case when status <> 'QUEUED' then started_at end, finished_at
from seed_jobs;

-- a manifest list for every fifth succeeded build, with one entry per platform
create temporary table seed_lists as
select gen_random_uuid() as id, b.id as build_id, 'sha256:' || md5(b.id::text) || md5(b.i::text) as digest,
       b.created_at + interval '30 minutes' as created_at
from seed_builds b where b.status = 'SUCCEEDED' and b.i % 5 = 0;
insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
select id, build_id, digest, 'application/vnd.oci.image.index.v1+json', 1024, '["127.0.0.1:5000/bench/app:latest"]',
       '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}', created_at
from seed_lists;
insert into manifest_list_entries (manifest_list_id, platform, digest, size, media_type)
select l.id, j.platform, j.digest, j.image_size, j.media_type
from seed_lists l join platform_jobs j on j.build_id = l.build_id;

insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, draining, first_seen,
                     last_seen)
values ('bench-native-1', 'amd64-1', '["linux/amd64"]', '["linux/arm64","linux/s390x"]', 4, 2, 'ONLINE', false,
        now() - interval '90 days', now()),
       ('bench-native-2', 'arm64-1', '["linux/arm64"]', '[]', 4, 1, 'ONLINE', false, now() - interval '90 days', now()),
       ('bench-native-3', 'amd64-2', '["linux/amd64"]', '[]', 4, 0, 'DRAINING', true, now() - interval '90 days', now()),
       ('bench-emulated-1', 'amd64-3', '[]', '["linux/arm64","linux/s390x"]', 2, 2, 'ONLINE', false,
        now() - interval '90 days', now()),
       ('bench-gone-1', 'amd64-4', '["linux/amd64"]', '[]', 4, 0, 'OFFLINE', false, now() - interval '90 days',
        now() - interval '3 days');
SQL
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

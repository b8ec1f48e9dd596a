#!/usr/bin/env bash
# The demo's 3-platform build through a running farm (./archfarm up; ./archfarm demo once, for the git repository
# and the base image) against plain buildah on this same machine, the farm's overhead per build, and the idle
# memory of each service. BENCH_DRIVER (overlay, the default, or vfs) is plain buildah's storage driver: set it to
# the one the workers report on the fleet page. BENCH_RUNS (default 5) pairs of builds are timed, alternating farm
# and buildah; the summary gives the median and the range, since a 2-core machine varies a lot from one build to the
# next.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$ROOT/.archfarm
PORTAL=http://127.0.0.1:${ARCHFARM_PORTAL_PORT:-8080}
REGISTRY=127.0.0.1:${ARCHFARM_REGISTRY_PORT:-5000}
GIT_URL=git://127.0.0.1:${ARCHFARM_GIT_PORT:-9418}/hello.git
DB_URL=${ARCHFARM_DB_URL:-jdbc:postgresql://127.0.0.1:5432/archfarm}
PLATFORMS=(linux/amd64 linux/arm64 linux/s390x)
RUNS=${BENCH_RUNS:-5}
BENCH=$STATE/benchmark
# plain buildah's storage driver: the one the farm's workers report (overlay where the kernel has it), or BENCH_DRIVER
DRIVER=${BENCH_DRIVER:-overlay}
[[ $DRIVER == overlay || $DRIVER == vfs ]] || { echo "benchmark: BENCH_DRIVER must be overlay or vfs" >&2; exit 2; }
BUILDAH=(buildah --storage-driver "$DRIVER" --root "$BENCH/storage/$DRIVER-root" --runroot "$BENCH/storage/$DRIVER-run")

die() { echo "benchmark: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

for tool in buildah curl jq psql git; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done
[[ $(curl -fsS --max-time 3 "$PORTAL/actuator/health" 2>/dev/null | jq -r .status 2>/dev/null) == UP ]] \
    || die "no farm answers at $PORTAL: start it with ./archfarm up"
git ls-remote "$GIT_URL" main >/dev/null 2>&1 \
    || die "$GIT_URL does not answer: run ./archfarm demo once (it serves examples/hello and pushes the base image)"
# an admin token for this run (./archfarm token makes it with the admin's password); kept off the command lines
TOKEN=$("$ROOT/archfarm" token "benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)") || die "no API token from the portal"
api() { curl -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") "$@"; }
[[ $DB_URL =~ ^jdbc:postgresql://([^/:]+)(:([0-9]+))?/([A-Za-z0-9_]+) ]] || die "ARCHFARM_DB_URL '$DB_URL' is not understood"
PSQL=(env PGPASSWORD="${ARCHFARM_DB_PASSWORD:-}" psql -h "${BASH_REMATCH[1]}" -p "${BASH_REMATCH[3]:-5432}"
    -U "${ARCHFARM_DB_USER:-postgres}" -d "${BASH_REMATCH[4]}" -tAqX)

echo "== idle memory (RSS) of the farm's services"
for pidfile in "$STATE"/run/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ') || continue
    [[ -n $rss ]] && printf '  %-18s %6d MiB\n' "$(basename "$pidfile" .pid)" $((rss / 1024))
done

# One build through the farm; prints "wall db_seconds longest_job_seconds build_id".
farm_build() {
    local greeting=$1 body id status start end db_seconds longest_job
    body=$(jq -nc --arg repo "$GIT_URL" --arg image "$REGISTRY/bench/hello" --arg greeting "$greeting" \
        '{repository: $repo, ref: "main", platforms: ["linux/amd64","linux/arm64","linux/s390x"], image: $image,
          tags: ["latest"], buildArgs: {GREETING: $greeting}}')
    start=$(now)
    id=$(api -fsS -X POST -H 'Content-Type: application/json' -d "$body" "$PORTAL/api/v1/builds" | jq -r .id) \
        || die "the portal refused the build"
    while :; do
        status=$(api -fsS "$PORTAL/api/v1/builds/$id" | jq -r .status)
        case $status in SUCCEEDED) break ;; PARTIAL | FAILED | CANCELLED) die "build $id ended $status" ;; esac
        sleep 0.2
    done
    end=$(now)
    read -r db_seconds longest_job < <("${PSQL[@]}" -F ' ' -c "select extract(epoch from b.finished_at - b.created_at),
        (select max(build_millis) from platform_jobs where build_id = b.id) / 1000.0 from builds b where b.id = '$id'")
    echo "$(seconds "$start" "$end") $db_seconds $longest_job $id"
}

PHASES=(queueWait claim fetch pull build push merge)
# Appends "platform queueWait claim … merge" (ms, - where not measured) of each platform of a build to $BENCH/phases.
record_phases() {
    api -fsS "$PORTAL/api/v1/builds/$1" | jq -r --argjson names "$(printf '%s\n' "${PHASES[@]}" | jq -R . | jq -sc .)" \
        '.platforms[] | [.platform] + [.phases as $p | $names[] | ($p[.] // "-" | tostring)] | join(" ")' \
        >>"$BENCH/phases"
}

# The same Containerfile built and pushed with plain buildah; prints "wall".
local_build() {
    local greeting=$1 start end
    "${BUILDAH[@]}" manifest rm bench-hello >/dev/null 2>&1 || true
    start=$(now)
    "${BUILDAH[@]}" build --quiet --isolation chroot --tls-verify=false --platform "$(IFS=,; echo "${PLATFORMS[*]}")" \
        --manifest bench-hello --build-arg "GREETING=$greeting-local" "$BENCH/context" >/dev/null
    "${BUILDAH[@]}" manifest push --quiet --all --tls-verify=false bench-hello "docker://$REGISTRY/bench/hello-local:latest"
    end=$(now)
    seconds "$start" "$end"
}

# median, min and max of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "median %.2f (min %.2f, max %.2f, n=%d)", m, v[1], v[NR], NR }'; }

mkdir -p "$BENCH/context"
cp "$ROOT/examples/hello/"* "$BENCH/context/"
sed -i "s#^FROM 127\.0\.0\.1:5000/#FROM $REGISTRY/#" "$BENCH/context/Containerfile"
for platform in "${PLATFORMS[@]}"; do   # the farm's workers hold the base image already; so does this, untimed
    "${BUILDAH[@]}" pull --quiet --tls-verify=false --platform "$platform" "$REGISTRY/archfarm/busybox" >/dev/null
done

echo "== $RUNS runs of examples/hello for ${PLATFORMS[*]}: through the farm, then plain buildah ($DRIVER, chroot,"
echo "   pushed like the farm does); a fresh GREETING each run, so nothing is cached"
printf '  %-4s %8s %9s %10s %9s\n' run farm buildah farm/bah overhead
: >"$BENCH/results"
: >"$BENCH/phases"
for run in $(seq 1 "$RUNS"); do
    greeting=bench-$(date +%s%N)
    read -r farm db_seconds longest_job build_id < <(farm_build "$greeting")
    record_phases "$build_id"
    local_seconds=$(local_build "$greeting")
    ratio=$(awk -v f="$farm" -v l="$local_seconds" 'BEGIN { printf "%.2f", f / l }')
    overhead=$(awk -v a="$db_seconds" -v b="$longest_job" 'BEGIN { printf "%.1f", a - b }')
    printf '  %-4s %7ss %8ss %10s %8ss\n' "$run" "$farm" "$local_seconds" "$ratio" "$overhead"
    echo "$farm $local_seconds $ratio $overhead" >>"$BENCH/results"
done

echo "== result (farm overhead = submission to SUCCEEDED in the database minus the longest job's buildah+push)"
printf '  farm wall time      %s s\n' "$(awk '{ print $1 }' "$BENCH/results" | stats)"
printf '  plain buildah       %s s\n' "$(awk '{ print $2 }' "$BENCH/results" | stats)"
printf '  farm / buildah      %s\n' "$(awk '{ print $3 }' "$BENCH/results" | stats)"
printf '  farm overhead       %s s\n' "$(awk '{ print $4 }' "$BENCH/results" | stats)"

echo "== where the time went: median per phase and platform, ms (queue = queued to claimed, merge = the platform's"
echo "   share of the index; - where not measured)"
printf '  %-14s' platform; printf ' %9s' "${PHASES[@]}"; echo
for platform in "${PLATFORMS[@]}"; do
    printf '  %-14s' "$platform"
    for i in "${!PHASES[@]}"; do
        printf ' %9s' "$(awk -v p="$platform" -v c=$((i + 2)) '$1 == p && $c != "-" { print $c }' "$BENCH/phases" \
            | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
                printf "%d", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    done
    echo
done

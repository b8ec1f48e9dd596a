#!/usr/bin/env bash
# The demo's 3-platform build through a running farm (./archfarm up; ./archfarm demo once, for the git repository
# and the base image) against plain buildah on this same machine, the farm's overhead per build, and the idle
# memory of each service.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$ROOT/.archfarm
PORTAL=http://127.0.0.1:${ARCHFARM_PORTAL_PORT:-8080}
REGISTRY=127.0.0.1:${ARCHFARM_REGISTRY_PORT:-5000}
GIT_URL=git://127.0.0.1:${ARCHFARM_GIT_PORT:-9418}/hello.git
DB_URL=${ARCHFARM_DB_URL:-jdbc:postgresql://127.0.0.1:5432/archfarm}
PLATFORMS=(linux/amd64 linux/arm64 linux/s390x)
BENCH=$STATE/benchmark
BUILDAH=(buildah --storage-driver vfs --root "$BENCH/storage/root" --runroot "$BENCH/storage/run")

die() { echo "benchmark: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

for tool in buildah curl jq psql git; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done
[[ $(curl -fsS --max-time 3 "$PORTAL/actuator/health" 2>/dev/null | jq -r .status 2>/dev/null) == UP ]] \
    || die "no farm answers at $PORTAL: start it with ./archfarm up"
git ls-remote "$GIT_URL" main >/dev/null 2>&1 \
    || die "$GIT_URL does not answer: run ./archfarm demo once (it serves examples/hello and pushes the base image)"
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

GREETING=bench-$(date +%s)
echo "== through the farm: examples/hello for ${PLATFORMS[*]} (GREETING=$GREETING, so nothing is cached)"
body=$(jq -nc --arg repo "$GIT_URL" --arg image "$REGISTRY/bench/hello" --arg greeting "$GREETING" \
    '{repository: $repo, ref: "main", platforms: ["linux/amd64","linux/arm64","linux/s390x"], image: $image,
      tags: ["latest"], buildArgs: {GREETING: $greeting}}')
start=$(now)
id=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$body" "$PORTAL/api/v1/builds" | jq -r .id) \
    || die "the portal refused the build"
while :; do
    status=$(curl -fsS "$PORTAL/api/v1/builds/$id" | jq -r .status)
    case $status in SUCCEEDED) break ;; PARTIAL | FAILED | CANCELLED) die "build $id ended $status" ;; esac
    sleep 0.5
done
farm_end=$(now)
farm=$(seconds "$start" "$farm_end")
read -r db_seconds longest_job < <("${PSQL[@]}" -F ' ' -c "select extract(epoch from b.finished_at - b.created_at),
    (select max(build_millis) from platform_jobs where build_id = b.id) / 1000.0 from builds b where b.id = '$id'")
echo "  build $id: ${farm}s from submission to SUCCEEDED as the client saw it"

echo "== plain buildah on this machine (same Containerfile, vfs storage, chroot isolation, pushed like the farm does)"
mkdir -p "$BENCH/context"
cp "$ROOT/examples/hello/"* "$BENCH/context/"
sed -i "s#^FROM 127\.0\.0\.1:5000/#FROM $REGISTRY/#" "$BENCH/context/Containerfile"
for platform in "${PLATFORMS[@]}"; do   # the farm's workers hold the base image already; so does this, untimed
    "${BUILDAH[@]}" pull --quiet --tls-verify=false --platform "$platform" "$REGISTRY/archfarm/busybox" >/dev/null
done
"${BUILDAH[@]}" manifest rm bench-hello >/dev/null 2>&1 || true
start=$(now)
"${BUILDAH[@]}" build --quiet --isolation chroot --tls-verify=false --platform "$(IFS=,; echo "${PLATFORMS[*]}")" \
    --manifest bench-hello --build-arg "GREETING=$GREETING-local" "$BENCH/context" >/dev/null
built=$(now)
"${BUILDAH[@]}" manifest push --quiet --all --tls-verify=false bench-hello "docker://$REGISTRY/bench/hello-local:latest"
local_end=$(now)
local=$(seconds "$start" "$local_end")
echo "  build $(seconds "$start" "$built")s + push $(seconds "$built" "$local_end")s = ${local}s"

echo "== result"
printf '  farm            %7.1f s\n' "$farm"
printf '  plain buildah   %7.1f s\n' "$local"
printf '  farm / buildah  %7.2f\n' "$(awk -v f="$farm" -v l="$local" 'BEGIN { print f / l }')"
printf '  farm overhead   %7.1f s  (submission to SUCCEEDED %.1f s in the database, minus the longest job'"'"'s buildah+push %.1f s)\n' \
    "$(awk -v a="$db_seconds" -v b="$longest_job" 'BEGIN { print a - b }')" "$db_seconds" "$longest_job"

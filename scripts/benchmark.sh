#!/usr/bin/env bash
# What the farm costs, side by side with plain buildah on this same machine and in the same run. Needs a running
# farm (./archfarm up) and ./archfarm demo run once (the git daemon and the base image in the registry).
#
#  (a) examples/cpu-bound for linux/amd64, linux/arm64 and linux/s390x with nothing cached (a new SEED each run, as
#      a new commit): the farm (its layer cache on, as it is by default), `buildah build --jobs 3` (the platforms
#      in parallel), the same with `--layers` (the work of keeping a layer cache: every step committed) and
#      `--jobs 1` (one platform after another), each pushed as a multi-arch image.
#  (b) a rebuild after a one-line change of the file the last COPY copies, with the layer cache: cold (a new SEED:
#      the expensive step runs), then warm (the same SEED, message.txt changed: the expensive step comes from the
#      cache); per platform and whole; the farm's layer cache against `buildah build --layers`.
#  (c) where the time of each platform job went, per phase, in (a) and in (b)'s warm builds.
#
# BENCH_RUNS (default 5) runs of each, alternating farm and buildah; medians and ranges, since a 2-core machine
# varies a lot from one build to the next. BENCH_DRIVER (overlay, the default, or vfs) is plain buildah's storage
# driver: set it to the one the workers report on the fleet page.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=$ROOT/.archfarm
PORTAL=http://127.0.0.1:${ARCHFARM_PORTAL_PORT:-8080}
REGISTRY=127.0.0.1:${ARCHFARM_REGISTRY_PORT:-5000}
GIT_BASE=git://127.0.0.1:${ARCHFARM_GIT_PORT:-9418}
PLATFORMS=(linux/amd64 linux/arm64 linux/s390x)
RUNS=${BENCH_RUNS:-5}
BENCH=$STATE/benchmark
DRIVER=${BENCH_DRIVER:-overlay}
[[ $DRIVER == overlay || $DRIVER == vfs ]] || { echo "benchmark: BENCH_DRIVER must be overlay or vfs" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "benchmark: BENCH_RUNS must be 1 to 99" >&2; exit 2; }
BUILDAH=(buildah --storage-driver "$DRIVER" --root "$BENCH/storage/$DRIVER-root" --runroot "$BENCH/storage/$DRIVER-run")
REPO=bench-cpu
SRC=$BENCH/src

die() { echo "benchmark: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
    printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# median, min and max of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%.2f (%.2f–%.2f, n=%d)", m, v[1], v[NR], NR }'; }

for tool in buildah curl jq git; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done
[[ $(curl -fsS --max-time 3 "$PORTAL/actuator/health" 2>/dev/null | jq -r .status 2>/dev/null) == UP ]] \
    || die "no farm answers at $PORTAL: start it with ./archfarm up"
git ls-remote "$GIT_BASE/hello.git" main >/dev/null 2>&1 \
    || die "$GIT_BASE/hello.git does not answer: run ./archfarm demo once (the git daemon and the base image)"
# an admin token for this run (./archfarm token makes it with the admin's password); kept off the command lines
TOKEN=$("$ROOT/archfarm" token "benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)") || die "no API token from the portal"
api() { curl -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") "$@"; }

echo "== idle memory (RSS) of the farm's services"
for pidfile in "$STATE"/run/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ') || continue
    [[ -n $rss ]] && printf '  %-18s %6d MiB\n' "$(basename "$pidfile" .pid)" $((rss / 1024))
done

# The benchmark's repository, served by the demo's git daemon (it exports everything under $STATE/git): a fresh
# copy of examples/cpu-bound, so that no commit of an earlier run is in any cache.
rm -rf "${STATE:?}/git/$REPO.git" "$SRC"
git init -q --bare -b main "$STATE/git/$REPO.git"
git init -q -b main "$SRC"
cp "$ROOT/examples/cpu-bound/"* "$SRC/"
sed -i "s#^FROM 127\.0\.0\.1:5000/#FROM $REGISTRY/#" "$SRC/Containerfile"
# the commit that (b) builds: message.txt gets one new line
commit() {
    git -C "$SRC" add -A
    git -C "$SRC" -c user.name=archfarm -c user.email=bench@archfarm.invalid commit -q -m "$1"
    git -C "$SRC" push -q "$STATE/git/$REPO.git" main
}
commit "cpu-bound"

# One build of the benchmark repository's main through the farm; prints "wall build_id". The wall time is from just
# before the request to the build's finishedAt as the portal records it (same machine, same clock), so how often the
# client asks does not change it: it asks every 1.5 s, since each poll (a curl, the portal's answer, a jq) takes CPU
# from the builds it measures.
farm_build() {
    local seed=$1 body id build status start finished
    body=$(jq -nc --arg repo "$GIT_BASE/$REPO.git" --arg image "$REGISTRY/bench/cpu-bound" --arg seed "$seed" \
        '{repository: $repo, ref: "main", platforms: ["linux/amd64","linux/arm64", "linux/s390x"], image: $image,
          tags: ["latest"], buildArgs: {SEED: $seed}}')
    start=$(now)
    id=$(api -fsS -X POST -H 'Content-Type: application/json' -d "$body" "$PORTAL/api/v1/builds" | jq -r .id) \
        || die "the portal refused the build"
    local deadline=$((SECONDS + 600))   # 10 minutes at most
    while ((SECONDS < deadline)); do
        sleep 1.5
        build=$(api -fsS "$PORTAL/api/v1/builds/$id")
        status=$(jq -r .status <<<"$build")
        case $status in SUCCEEDED) break ;; PARTIAL | FAILED | CANCELLED) die "build $id ended $status" ;; esac
    done
    [[ $status == SUCCEEDED ]] || die "build $id did not finish within 10 minutes"
    finished=$(date -d "$(jq -r .finishedAt <<<"$build")" +%s.%N)
    echo "$(seconds "$start" "$finished") $id"
}

PHASES=(queueWait claim fetch pull build push merge)
# Appends "platform queueWait … merge hits misses" of each platform of a build to the file $2 (ms; - where not
# measured).
record_phases() {
    api -fsS "$PORTAL/api/v1/builds/$1" | jq -r --argjson names "$(printf '%s\n' "${PHASES[@]}" | jq -R . | jq -sc .)" \
        '.platforms[] | [.platform] + [.phases as $p | $names[] | ($p[.] // "-" | tostring)]
            + [(.cache.hits // "-" | tostring), (.cache.misses // "-" | tostring)] | join(" ")' >>"$2"
}

# The same build with plain buildah, pushed like the farm pushes (one multi-arch image); prints "wall".
local_build() {
    local seed=$1 start end
    shift
    "${BUILDAH[@]}" manifest rm bench-cpu >/dev/null 2>&1 || true
    start=$(now)
    "${BUILDAH[@]}" build --quiet --isolation chroot --tls-verify=false --platform "$(IFS=,; echo "${PLATFORMS[*]}")" \
        --manifest bench-cpu --build-arg "SEED=$seed" "$@" "$SRC" >/dev/null
    "${BUILDAH[@]}" manifest push --quiet --all --tls-verify=false bench-cpu "docker://$REGISTRY/bench/cpu-bound-local:latest"
    end=$(now)
    seconds "$start" "$end"
}

phase_table() {
    printf '  %-14s' platform; printf ' %9s' "${PHASES[@]}" hits misses; echo
    for platform in "${PLATFORMS[@]}"; do
        printf '  %-14s' "$platform"
        for column in $(seq 2 $((${#PHASES[@]} + 3))); do
            printf ' %9s' "$(awk -v p="$platform" -v c="$column" '$1 == p && $c != "-" { print $c }' "$1" | median \
                | sed 's/\.00$//')"
        done
        echo
    done
}

for platform in "${PLATFORMS[@]}"; do   # the farm's workers hold the base image already; so does this, untimed
    "${BUILDAH[@]}" pull --quiet --tls-verify=false --platform "$platform" "$REGISTRY/archfarm/busybox" >/dev/null
done

echo
echo "== (a) $RUNS runs of examples/cpu-bound for ${PLATFORMS[*]}, nothing cached (a new SEED each run):"
echo "   the farm, plain buildah ($DRIVER, chroot) --jobs 3, --jobs 3 --layers and --jobs 1, each pushed; seconds"
printf '  %-4s %6s %7s %9s %7s %11s %12s %11s\n' run farm "jobs 3" "+layers" "jobs 1" "farm/jobs3" "farm/+layers" \
    "farm/jobs1"
: >"$BENCH/a"
: >"$BENCH/a-phases"
for run in $(seq 1 "$RUNS"); do
    seed=a-$(date +%s%N)
    read -r farm build_id < <(farm_build "$seed")
    record_phases "$build_id" "$BENCH/a-phases"
    parallel=$(local_build "$seed-3" --jobs 3)
    layers=$(local_build "$seed-l" --jobs 3 --layers)
    sequential=$(local_build "$seed-1" --jobs 1)
    printf '  %-4s %6s %7s %9s %7s %11s %12s %11s\n' "$run" "$farm" "$parallel" "$layers" "$sequential" \
        "$(ratio "$farm" "$parallel")" "$(ratio "$farm" "$layers")" "$(ratio "$farm" "$sequential")"
    echo "$farm $parallel $sequential $(ratio "$farm" "$parallel") $(ratio "$farm" "$sequential") $layers \
        $(ratio "$farm" "$layers")" >>"$BENCH/a"
done
echo "  median (range):"
printf '    farm                        %s s\n' "$(awk '{ print $1 }' "$BENCH/a" | stats)"
printf '    buildah --jobs 3            %s s\n' "$(awk '{ print $2 }' "$BENCH/a" | stats)"
printf '    buildah --jobs 3 --layers   %s s\n' "$(awk '{ print $6 }' "$BENCH/a" | stats)"
printf '    buildah --jobs 1            %s s\n' "$(awk '{ print $3 }' "$BENCH/a" | stats)"
printf '    farm / buildah --jobs 3     %s   (goal: 1.15 or less)\n' "$(awk '{ print $4 }' "$BENCH/a" | stats)"
printf '    farm / buildah --layers     %s\n' "$(awk '{ print $7 }' "$BENCH/a" | stats)"
printf '    farm / buildah --jobs 1     %s\n' "$(awk '{ print $5 }' "$BENCH/a" | stats)"

echo
echo "== (b) $RUNS rebuilds after a one-line change of message.txt (the last COPY), layer cache on: cold (a new"
echo "   SEED), then warm (the same SEED); seconds"
printf '  %-4s %9s %9s %11s %12s %12s %13s\n' run "farm cold" "farm warm" "warm/cold" "buildah cold" "buildah warm" \
    "farm/buildah"
: >"$BENCH/b"
: >"$BENCH/b-cold-phases"
: >"$BENCH/b-warm-phases"
for run in $(seq 1 "$RUNS"); do
    seed=b-$(date +%s%N)
    read -r farm_cold cold_id < <(farm_build "$seed")
    local_cold=$(local_build "$seed" --jobs 3 --layers)
    echo "run $run, changed at $(date -u +%H:%M:%S.%N)" >>"$SRC/message.txt"
    commit "a one-line change"
    read -r farm_warm warm_id < <(farm_build "$seed")
    local_warm=$(local_build "$seed" --jobs 3 --layers)
    record_phases "$cold_id" "$BENCH/b-cold-phases"
    record_phases "$warm_id" "$BENCH/b-warm-phases"
    printf '  %-4s %9s %9s %11s %12s %12s %13s\n' "$run" "$farm_cold" "$farm_warm" "$(ratio "$farm_warm" "$farm_cold")" \
        "$local_cold" "$local_warm" "$(ratio "$farm_warm" "$local_warm")"
    echo "$farm_cold $farm_warm $(ratio "$farm_warm" "$farm_cold") $local_cold $local_warm \
        $(ratio "$farm_warm" "$local_warm")" >>"$BENCH/b"
done
echo "  median (range):"
printf '    farm cold / warm            %s / %s s\n' "$(awk '{ print $1 }' "$BENCH/b" | median)" \
    "$(awk '{ print $2 }' "$BENCH/b" | median)"
printf '    farm warm / cold            %s\n' "$(awk '{ print $3 }' "$BENCH/b" | stats)"
printf '    buildah --layers cold / warm %s / %s s\n' "$(awk '{ print $4 }' "$BENCH/b" | median)" \
    "$(awk '{ print $5 }' "$BENCH/b" | median)"
printf '    farm warm / buildah warm    %s   (goal: 1.2 or less)\n' "$(awk '{ print $6 }' "$BENCH/b" | stats)"
echo "  per platform, the job's build step (ms, median): cold, warm, warm/cold (goal: 0.3 or less)"
for platform in "${PLATFORMS[@]}"; do
    cold=$(awk -v p="$platform" '$1 == p && $6 != "-" { print $6 }' "$BENCH/b-cold-phases" | median)
    warm=$(awk -v p="$platform" '$1 == p && $6 != "-" { print $6 }' "$BENCH/b-warm-phases" | median)
    printf '    %-14s %8s %8s %8s\n' "$platform" "${cold%.00}" "${warm%.00}" "$(ratio "$warm" "$cold")"
done
echo "  per platform, the whole job, claim to pushed (ms, median): cold, warm, warm/cold"
job_ms() { awk -v p="$2" '$1 == p { s = 0; for (c = 3; c <= 7; c++) if ($c != "-") s += $c; print s }' "$1" | median; }
for platform in "${PLATFORMS[@]}"; do
    cold=$(job_ms "$BENCH/b-cold-phases" "$platform")
    warm=$(job_ms "$BENCH/b-warm-phases" "$platform")
    printf '    %-14s %8s %8s %8s\n' "$platform" "${cold%.00}" "${warm%.00}" "$(ratio "$warm" "$cold")"
done

echo
echo "== (c) where the time went: median per phase and platform, ms (queueWait = queued to claimed, merge = the"
echo "   platform's share of the index; hits and misses = the steps the layer cache had or built; - not measured)"
echo "  (a), nothing cached:"
phase_table "$BENCH/a-phases"
echo "  (b), cold (a new SEED):"
phase_table "$BENCH/b-cold-phases"
echo "  (b), warm:"
phase_table "$BENCH/b-warm-phases"

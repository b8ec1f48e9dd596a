#!/usr/bin/env bash
# Figures for afctl build --follow (issue 14): on a farm of its own (fresh ports, database and broker names; a native
# linux/amd64 worker and an emulating linux/arm64 one), AFCTL_BENCH_BUILDS builds (default 5) of both platforms without
# the layer cache through the real afctl (--follow --progress plain), alternating with as many through a curl poll loop
# (GET every second). Per client: median wall and CPU (user + system, GNU time) and how long after the build's end it
# exited; and afctl's bare start. As root, like ./archfarm test (the farm's base image is built with rootful buildah).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILDS=${AFCTL_BENCH_BUILDS:-5}
[[ $BUILDS =~ ^[1-9][0-9]?$ ]] || { echo "afctl-benchmark: AFCTL_BENCH_BUILDS must be 1..99" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "afctl-benchmark: run it as root (the farm's base image is built with rootful buildah)" >&2; exit 2; }
for tool in buildah skopeo git docker-registry curl jq /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "afctl-benchmark: '$tool' is missing (GNU time: the package time)" >&2; exit 2; }
done
cd "$ROOT"
die() { echo "afctl-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
export ARCHFARM_TEST_SERVICES=local
./mvnw -B -q -DskipTests install
OUT="$ROOT/e2e-tests/target/afctl-benchmark.txt"
rm -f "$OUT"
timeout 1h ./mvnw -B -q -pl e2e-tests verify -De2e.standalone -Dtest=AfctlFollowBenchmark \
    -Darchfarm.bench.builds="$BUILDS" -Darchfarm.bench.out="$OUT" >/dev/null || status=$?
[[ -f $OUT ]] && cat "$OUT"
exit "${status:-0}"

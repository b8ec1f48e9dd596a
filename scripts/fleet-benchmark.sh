#!/usr/bin/env bash
# Figures for a fleet (issue: workers on other machines, registries with TLS and credentials), printed side by side
# in one run on this machine: the demo's 3-platform build with plain buildah (the peer), on the loopback farm to a
# plain registry and to one with TLS and logins, and on a fleet whose workers are hosts of their own (network
# namespaces on a bridge of the run's own, the broker over TLS as the farm's worker user); and the seconds from
# starting a worker on a new host to ONLINE. BENCH_RUNS (default 3) of each; as root (namespaces, buildah).
# Every farm it starts uses fresh ports, a fresh database and broker names, and is stopped at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "fleet-benchmark: BENCH_RUNS must be 1..99" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "fleet-benchmark: run it as root (network namespaces, rootful buildah)" >&2; exit 2; }

for tool in buildah skopeo git docker-registry htpasswd openssl ip; do
    command -v "$tool" >/dev/null || { echo "fleet-benchmark: '$tool' is missing: run ./archfarm test once" >&2; exit 2; }
done
cd "$ROOT"
die() { echo "fleet-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl e2e-tests verify -De2e.standalone -Dtest=FleetBenchmark -Darchfarm.bench.runs="$RUNS" \
    -Darchfarm.bench.out="$ROOT/e2e-tests/target/fleet-benchmark.txt" >/dev/null
cat "$ROOT/e2e-tests/target/fleet-benchmark.txt"

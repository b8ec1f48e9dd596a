#!/usr/bin/env bash
# The cost of each isolation level of RUN steps (docs/ARCHITECTURE.md, "Isolation of RUN steps") on the demo build,
# examples/hello, for linux/amd64 (native) and linux/arm64 and linux/s390x (qemu): ms per platform job, median of
# BENCH_RUNS (default 5) [min..max], side by side with level host. Real buildah, git and a registry of its own, no
# farm needed; as root (network namespaces, nftables, rootful buildah). Prints the table and writes it to
# worker-agent/target/isolation-benchmark.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-5}
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "isolation-benchmark: BENCH_RUNS must be 1..99" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "isolation-benchmark: run it as root (namespaces, nftables, buildah)" >&2; exit 2; }
for tool in buildah skopeo git docker-registry ip nft runc; do
    command -v "$tool" >/dev/null || { echo "isolation-benchmark: '$tool' is missing: run ./archfarm test once" >&2
        exit 2; }
done
cd "$ROOT"
die() { echo "isolation-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
# the upstream modules' own small tests satisfy surefire's "a -Dtest that matches nothing fails" in each module
./mvnw -B -q -pl worker-agent -am verify -DskipITs -Dtest='MessagesJsonTest,TestServicesTest,IsolationBenchmark' \
    -Darchfarm.bench.runs="$RUNS" -Darchfarm.bench.out="$ROOT/worker-agent/target/isolation-benchmark.txt" >/dev/null
cat "$ROOT/worker-agent/target/isolation-benchmark.txt"

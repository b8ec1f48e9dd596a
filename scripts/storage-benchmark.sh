#!/usr/bin/env bash
# vfs against overlay, the two storage drivers of the worker's image stores (docs/ARCHITECTURE.md, "Image stores and
# their storage driver"), on the demo build, examples/hello, for linux/amd64 (native) and linux/arm64 and linux/s390x
# (qemu), RUN steps under the default isolation (netns, runc): ms per platform job, cold (the base image pulled) and
# warm (median of BENCH_RUNS, default 5, [min..max]), and the disk each platform's store takes after the last job.
# Real buildah, git and a registry of its own, no farm needed; as root. Prints the table and writes it to
# worker-agent/target/storage-benchmark.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-5}
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "storage-benchmark: BENCH_RUNS must be 1..99" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "storage-benchmark: run it as root (namespaces, nftables, buildah)" >&2; exit 2; }
for tool in buildah skopeo git docker-registry ip nft runc; do
    command -v "$tool" >/dev/null || { echo "storage-benchmark: '$tool' is missing: run ./archfarm test once" >&2
        exit 2; }
done
cd "$ROOT"
die() { echo "storage-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
# the upstream modules' own small tests satisfy surefire's "a -Dtest that matches nothing fails" in each module
./mvnw -B -q -pl worker-agent -am verify -DskipITs -Dtest='MessagesJsonTest,TestServicesTest,StorageDriverBenchmark' \
    -Darchfarm.bench.runs="$RUNS" -Darchfarm.bench.out="$ROOT/worker-agent/target/storage-benchmark.txt" >/dev/null
cat "$ROOT/worker-agent/target/storage-benchmark.txt"

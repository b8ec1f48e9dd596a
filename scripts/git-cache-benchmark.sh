#!/usr/bin/env bash
# What the worker's git cache (docs/ARCHITECTURE.md, "Git cache") saves a job's fetch: a repository of 200 commits
# and a few MB served by git daemon on loopback, fetched without the cache, cold, warm (one new commit) and as a hit;
# ms, median of BENCH_RUNS (default 5) [min..max]. Needs git and a JDK 21+, no farm. Prints the table and writes it to
# worker-agent/target/git-cache-benchmark.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${BENCH_RUNS:-5}
[[ $RUNS =~ ^[1-9][0-9]?$ ]] || { echo "git-cache-benchmark: BENCH_RUNS must be 1..99" >&2; exit 2; }
command -v git >/dev/null || { echo "git-cache-benchmark: 'git' is missing: run ./archfarm test once" >&2; exit 2; }
cd "$ROOT"
die() { echo "git-cache-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
# the upstream modules' own small tests satisfy surefire's "a -Dtest that matches nothing fails" in each module
./mvnw -B -q -pl worker-agent -am verify -DskipITs -Dtest='MessagesJsonTest,TestServicesTest,GitCacheBenchmark' \
    -Darchfarm.bench.runs="$RUNS" -Darchfarm.bench.out="$ROOT/worker-agent/target/git-cache-benchmark.txt" >/dev/null
cat "$ROOT/worker-agent/target/git-cache-benchmark.txt"

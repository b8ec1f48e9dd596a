#!/usr/bin/env bash
# Figures for the control plane at fleet scale (issue 13): two portals and two schedulers as real processes on this
# machine's PostgreSQL and RabbitMQ and a real registry, SIM_WORKERS simulated workers (default 1,000) that speak the
# real worker protocol over the broker, and builds of 3 platforms arriving at rising rates through the API and signed
# GitHub push webhooks. For each simulated build time and rate it prints builds/s accepted and completed and whether
# the backlog drained, dispatch latency QUEUED->RUNNING (p50/p95/p99), the control plane's overhead, and the CPU
# share of RabbitMQ, PostgreSQL and each farm process. Bounded: each step SIM_STEP_SECONDS of arrivals and at most
# 90 s of draining, stepping up stops at the first rate not sustained; the farm (fresh ports, database and broker
# names) is stopped at the end. As root, like ./archfarm test (the farm's registry and base image need it).
#   SIM_WORKERS=1000 SIM_RATES=10,25,50,100,200 SIM_BUILD_MS=0,500 SIM_STEP_SECONDS=20 SIM_PROJECTS=40
#   SIM_WEBHOOK_EVERY=4 (every 4th build is a push webhook) SIM_CONTROL_PLANES=2 SIM_HEARTBEAT_MS=3000 SIM_SLOTS=1
#   SIM_JAVA_OPTS="-Xms256m -Xmx768m -XX:+UseSerialGC" (the portals' and schedulers' JVM options: the JIT's full
#   tiers, as a fleet's control plane runs; "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" is the launcher's)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKERS=${SIM_WORKERS:-1000}
RATES=${SIM_RATES:-10,25,50,100,200}
BUILD_MS=${SIM_BUILD_MS:-0,500}
STEP=${SIM_STEP_SECONDS:-20}
[[ $WORKERS =~ ^[1-9][0-9]{0,3}$ && $WORKERS -le 5000 ]] || { echo "control-plane-benchmark: SIM_WORKERS must be 1..5000" >&2; exit 2; }
[[ $RATES =~ ^[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,9}$ ]] || { echo "control-plane-benchmark: SIM_RATES: up to 10 rates of 1..999 builds/s, comma-separated" >&2; exit 2; }
[[ $BUILD_MS =~ ^[0-9]{1,5}(,[0-9]{1,5}){0,4}$ ]] || { echo "control-plane-benchmark: SIM_BUILD_MS: up to 5 build times in ms, comma-separated" >&2; exit 2; }
[[ $STEP =~ ^[1-9][0-9]?$|^1[0-7][0-9]$|^180$ ]] || { echo "control-plane-benchmark: SIM_STEP_SECONDS must be 1..180" >&2; exit 2; }
JAVA_OPTS_SIM=${SIM_JAVA_OPTS:--Xms256m -Xmx768m -XX:+UseSerialGC}
[[ $JAVA_OPTS_SIM =~ ^-[A-Za-z0-9:=+._/-]+(\ +-[A-Za-z0-9:=+._/-]+)*$ ]] || { echo "control-plane-benchmark: SIM_JAVA_OPTS: JVM options (-X…), space-separated" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "control-plane-benchmark: run it as root (the farm's base image is built with rootful buildah)" >&2; exit 2; }
for tool in buildah skopeo git docker-registry; do
    command -v "$tool" >/dev/null || { echo "control-plane-benchmark: '$tool' is missing: run ./archfarm test once" >&2; exit 2; }
done
cd "$ROOT"
die() { echo "control-plane-benchmark: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
export ARCHFARM_TEST_SERVICES=local
./mvnw -B -q -DskipTests install
OUT="$ROOT/e2e-tests/target/control-plane-benchmark.txt"
rm -f "$OUT"
# the test JVM itself is bounded too: steps x (arrivals + 90 s drain) plus the farm's start, at most 2 hours
timeout 2h ./mvnw -B -q -pl e2e-tests verify -De2e.standalone -Dtest=ControlPlaneBenchmark \
    -Darchfarm.sim.workers="$WORKERS" -Darchfarm.sim.rates="$RATES" -Darchfarm.sim.build-ms="$BUILD_MS" \
    -Darchfarm.sim.step-seconds="$STEP" -Darchfarm.sim.projects="${SIM_PROJECTS:-40}" \
    -Darchfarm.sim.webhook-every="${SIM_WEBHOOK_EVERY:-4}" -Darchfarm.sim.control-planes="${SIM_CONTROL_PLANES:-2}" \
    -Darchfarm.sim.heartbeat-ms="${SIM_HEARTBEAT_MS:-3000}" -Darchfarm.sim.slots="${SIM_SLOTS:-1}" \
    -Darchfarm.farm.java-opts="$JAVA_OPTS_SIM" \
    -Darchfarm.bench.out="$OUT" >/dev/null || status=$?
[[ -f $OUT ]] && cat "$OUT"
exit "${status:-0}"

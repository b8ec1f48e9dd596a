#!/usr/bin/env bash
# The fault suite's long form (issue 13, part 2): a stream of FAULT_BUILDS (default 100) two-platform builds while
# each part of the farm (a worker, the scheduler, the portal, the registry, RabbitMQ, PostgreSQL, the other worker)
# is killed with SIGKILL in turn, left dead for 5 s and started again; then the checks of FaultSuiteE2ETest (every
# accepted build SUCCEEDED, each tag serves its own build's index and content, no overlapping attempts, no job
# succeeding twice) and its figures, per part killed. The short form (14 builds) runs in ./archfarm test.
# The farm runs on a PostgreSQL and a RabbitMQ node of its own, on fresh ports, and is stopped at the end.
# As root (rootful buildah). Bounded: FAULT_BUILDS at most 500, one submission every FAULT_INTERVAL_MS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILDS=${FAULT_BUILDS:-100}
INTERVAL_MS=${FAULT_INTERVAL_MS:-1400}
[[ $BUILDS =~ ^[1-9][0-9]{0,2}$ && $BUILDS -le 500 ]] || { echo "fault-suite: FAULT_BUILDS must be 1..500" >&2; exit 2; }
[[ $INTERVAL_MS =~ ^[1-9][0-9]{2,5}$ ]] || { echo "fault-suite: FAULT_INTERVAL_MS must be 100..999999" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "fault-suite: run it as root (rootful buildah)" >&2; exit 2; }

for tool in buildah skopeo git docker-registry openssl /usr/lib/rabbitmq/bin/rabbitmq-server; do
    command -v "$tool" >/dev/null || { echo "fault-suite: '$tool' is missing: run ./archfarm test once" >&2; exit 2; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    || { echo "fault-suite: PostgreSQL's initdb is missing (package postgresql)" >&2; exit 2; }
cd "$ROOT"
die() { echo "fault-suite: $*" >&2; exit 2; }
# shellcheck source=scripts/pick-jdk.sh
source "$ROOT/scripts/pick-jdk.sh"
pick_jdk
export ARCHFARM_TEST_SERVICES=${ARCHFARM_TEST_SERVICES:-local}
OUT="$ROOT/e2e-tests/target/fault-suite.txt"
rm -f "$OUT"
./mvnw -B -q -DskipTests install
if ! ./mvnw -B -q -pl e2e-tests verify -De2e.standalone -Dtest=FaultSuiteE2ETest \
        -Dsurefire.failIfNoSpecifiedTests=false -Darchfarm.faults.builds="$BUILDS" \
        -Darchfarm.faults.interval="$INTERVAL_MS" -Darchfarm.faults.out="$OUT" \
        >"$ROOT/e2e-tests/target/fault-suite.log" 2>&1; then
    [[ -f $OUT ]] && cat "$OUT"
    echo "fault-suite: the checks failed; see e2e-tests/target/fault-suite.log and e2e-tests/target/e2e-logs/faults" >&2
    exit 1
fi
cat "$OUT"

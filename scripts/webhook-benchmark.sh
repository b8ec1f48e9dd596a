#!/usr/bin/env bash
# What a webhook delivery costs the portal, as a forge sees it: the time from sending a signed GitHub push to the
# portal's answer. WEBHOOK_RUNS (default 200) deliveries of a branch outside the project's filters (signature check,
# parse, delivery log: IGNORED), then WEBHOOK_BUILDS (default 10) deliveries that start a build (also the build
# row, its number, tags and outbox row: BUILT; each build is cancelled at once), then as many API reads with a
# bearer token (GET /api/v1/users/me). Needs a running farm (./archfarm up, or ./archfarm demo once for the repo).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORTAL=http://127.0.0.1:${ARCHFARM_PORTAL_PORT:-8080}
GIT_URL=git://127.0.0.1:${ARCHFARM_GIT_PORT:-9418}/hello.git
RUNS=${WEBHOOK_RUNS:-200}
BUILDS=${WEBHOOK_BUILDS:-10}

die() { echo "webhook-benchmark: $*" >&2; exit 1; }
for tool in curl jq openssl git; do command -v "$tool" >/dev/null || die "'$tool' is missing"; done
[[ $(curl -fsS --max-time 3 "$PORTAL/actuator/health" 2>/dev/null | jq -r .status 2>/dev/null) == UP ]] \
    || die "no farm answers at $PORTAL: start it with ./archfarm up"
COMMIT=$(git ls-remote "$GIT_URL" refs/heads/main | cut -f1)
[[ -n $COMMIT ]] || die "$GIT_URL does not answer: run ./archfarm demo once"
TOKEN=$("$ROOT/archfarm" token "webhook benchmark") || die "no API token from the portal"
api() { curl -fsS -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") "$@"; }

team=bench-$(date +%s)
api -H 'Content-Type: application/json' -d "{\"slug\": \"$team\", \"name\": \"Webhook benchmark\"}" \
    "$PORTAL/api/v1/teams" >/dev/null
project=$(api -H 'Content-Type: application/json' "$PORTAL/api/v1/teams/$team/projects" -d "$(jq -nc \
    --arg repo "$GIT_URL" '{slug: "hooks", repository: $repo, platforms: ["linux/amd64"],
                            image: "127.0.0.1:5000/bench/hooks", branchFilters: ["main"]}')")
secret=$(jq -r .webhookSecret <<<"$project")
url=$(jq -r .webhooks.github <<<"$project")

# median and 95th percentile, in milliseconds, of the seconds on stdin
summary() { sort -n | awk '{ v[NR] = $1 * 1000 } END { printf "median %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)",
    v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)], v[NR], NR }'; }

deliver() { # branch delivery-id [commit]; prints "seconds http-code"
    local body
    body=$(jq -nc --arg ref "refs/heads/$1" --arg after "${3:-$COMMIT}" \
        '{ref: $ref, before: "0000000000000000000000000000000000000000", after: $after, created: false,
          deleted: false, forced: false, repository: {full_name: "bench/hello"}, pusher: {name: "bench"}}')
    curl -sS -o /dev/null -w '%{time_total} %{http_code}\n' -X POST "$url" -H 'Content-Type: application/json' \
        -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $2" \
        -H "X-Hub-Signature-256: sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)" \
        --data-binary "$body"
}

echo "== $RUNS deliveries of a branch outside the filters (IGNORED)"
for i in $(seq "$RUNS"); do deliver "feature/x" "ignored-$team-$i"; done > /tmp/webhook-ignored.$$
grep -cv ' 202$' /tmp/webhook-ignored.$$ >/dev/null && die "a delivery was not answered 202: $(grep -v ' 202$' /tmp/webhook-ignored.$$ | head -1)"
echo "  $(cut -d' ' -f1 /tmp/webhook-ignored.$$ | summary)"

echo "== $BUILDS deliveries that start a build (BUILT; each build is cancelled right away)"
# a commit of its own each: the same push again within archfarm.portal.webhook-duplicate-window starts nothing
for i in $(seq "$BUILDS"); do
    deliver main "built-$team-$i" "$(printf '%s-%s' "$team" "$i" | sha1sum | cut -c1-40)"
done > /tmp/webhook-built.$$
grep -cv ' 202$' /tmp/webhook-built.$$ >/dev/null && die "a delivery was not answered 202"
echo "  $(cut -d' ' -f1 /tmp/webhook-built.$$ | summary)"
for id in $(api "$PORTAL/api/v1/projects/$team/hooks/builds?limit=500" | jq -r '.[].id'); do
    api -X POST "$PORTAL/api/v1/builds/$id/cancel" >/dev/null || true
done

echo "== $RUNS API reads with a bearer token (GET /api/v1/users/me)"
for i in $(seq "$RUNS"); do
    curl -sS -o /dev/null -w '%{time_total}\n' -K <(printf 'header = "Authorization: Bearer %s"\n' "$TOKEN") \
        "$PORTAL/api/v1/users/me"
done > /tmp/webhook-reads.$$
echo "  $(summary < /tmp/webhook-reads.$$)"
rm -f /tmp/webhook-reads.$$
rm -f /tmp/webhook-ignored.$$ /tmp/webhook-built.$$

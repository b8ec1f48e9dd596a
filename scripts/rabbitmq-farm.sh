#!/usr/bin/env bash
# The entrypoint of docker-compose.yml's rabbitmq service: the image's own entrypoint and server, then the farm's
# virtual host and users, as ./archfarm up makes them with rabbitmqctl: archfarm-scheduler (everything in the virtual
# host) and archfarm-worker (only what a worker does; docs/ARCHITECTURE.md), with the passwords of
# ARCHFARM_BROKER_SCHEDULER_PASSWORD and ARCHFARM_BROKER_WORKER_PASSWORD, given to rabbitmqctl on standard input.
# guest is deleted: no part of the farm uses it. Every start sets the same passwords and permissions again.
set -euo pipefail

VHOST=${ARCHFARM_AMQP_VHOST:-archfarm}
PREFIX=${ARCHFARM_TOPOLOGY_PREFIX:-archfarm}
p=${PREFIX//./\\.}

: "${ARCHFARM_BROKER_SCHEDULER_PASSWORD:?set ARCHFARM_BROKER_SCHEDULER_PASSWORD}"
: "${ARCHFARM_BROKER_WORKER_PASSWORD:?set ARCHFARM_BROKER_WORKER_PASSWORD}"

docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' TERM INT

rabbitmqctl -q await_startup
rabbitmqctl -q list_vhosts | grep -qxF "$VHOST" || rabbitmqctl -q add_vhost "$VHOST"
user() {
    local name=$1 password=$2
    shift 2
    if rabbitmqctl -q list_users | cut -f1 | grep -qxF "$name"; then
        printf '%s' "$password" | rabbitmqctl -q change_password "$name"
    else
        printf '%s' "$password" | rabbitmqctl -q add_user "$name"
    fi
    rabbitmqctl -q set_permissions -p "$VHOST" "$name" "$@"
}
user archfarm-scheduler "$ARCHFARM_BROKER_SCHEDULER_PASSWORD" '.*' '.*' '.*'
user archfarm-worker "$ARCHFARM_BROKER_WORKER_PASSWORD" "^$p\\.worker\\..+\\.control\$" \
    "^($p\\.worker-events|$p\\.worker\\..+\\.control)\$" "^($p\\.jobs\\..+|$p\\.control|$p\\.worker\\..+\\.control)\$"
if rabbitmqctl -q list_users | cut -f1 | grep -qxF guest; then
    rabbitmqctl -q delete_user guest
fi
echo "rabbitmq-farm: virtual host $VHOST with users archfarm-scheduler and archfarm-worker"
touch /tmp/archfarm-users-ready
wait "$server"

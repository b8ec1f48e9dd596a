#!/usr/bin/env bash
# A RabbitMQ cluster of three nodes on this machine, for the farm to run on (docs/ARCHITECTURE.md, The broker as a
# cluster). The nodes are the script's own, beside the machine's RabbitMQ and never touching it: their own names
# (NAME1@localhost ...), AMQP ports, Erlang distribution ports, Erlang cookie (0600), data and logs under DIR; only
# loopback listeners and no plugins. Usage:
#
#   scripts/rabbitmq-cluster.sh start          start the nodes not running, cluster them, wait until all three run;
#                                              prints what to give the farm (eval-able export lines last)
#   scripts/rabbitmq-cluster.sh stop           stop the three nodes (data stays; 'start' brings the cluster back)
#   scripts/rabbitmq-cluster.sh status         each node: running or not, and the cluster as node 1..3 sees it
#   scripts/rabbitmq-cluster.sh env            only the export lines of 'start'
#   scripts/rabbitmq-cluster.sh kill N         SIGKILL node N (1..3), as a host dies
#   scripts/rabbitmq-cluster.sh restart N      start node N again (after 'kill', or stop then start) and wait until
#                                              it runs in the cluster again
#   scripts/rabbitmq-cluster.sh ctl ARGS...    rabbitmqctl ARGS on the first node that answers
#
# Settings: ARCHFARM_RABBITMQ_CLUSTER_DIR (default .archfarm/rabbitmq-cluster of the repository),
# ARCHFARM_RABBITMQ_CLUSTER_PORT (node 1's AMQP port, 5681; nodes 2 and 3 take the next two),
# ARCHFARM_RABBITMQ_CLUSTER_DIST_PORT (node 1's Erlang distribution port, AMQP port + 20000; then the next two),
# ARCHFARM_RABBITMQ_CLUSTER_NAME (node name prefix, archfarm-rmq), ARCHFARM_RABBITMQ_CLUSTER_TIMEOUT (s, 180).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${ARCHFARM_RABBITMQ_CLUSTER_DIR:-$ROOT/.archfarm/rabbitmq-cluster}
BASE_PORT=${ARCHFARM_RABBITMQ_CLUSTER_PORT:-5681}
DIST_BASE_PORT=${ARCHFARM_RABBITMQ_CLUSTER_DIST_PORT:-$((BASE_PORT + 20000))}
NAME=${ARCHFARM_RABBITMQ_CLUSTER_NAME:-archfarm-rmq}
TIMEOUT=${ARCHFARM_RABBITMQ_CLUSTER_TIMEOUT:-180}
RABBIT_BIN=/usr/lib/rabbitmq/bin
NODES=(1 2 3)

die() { echo "rabbitmq-cluster: $*" >&2; exit 1; }
say() { echo "rabbitmq-cluster: $*" >&2; }

[[ $BASE_PORT =~ ^[0-9]+$ && $DIST_BASE_PORT =~ ^[0-9]+$ ]] || die "ports must be numbers (got '$BASE_PORT', '$DIST_BASE_PORT')"
[[ $NAME =~ ^[A-Za-z0-9_-]+$ ]] || die "ARCHFARM_RABBITMQ_CLUSTER_NAME '$NAME' may hold only letters, digits, - and _"
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "ARCHFARM_RABBITMQ_CLUSTER_TIMEOUT '$TIMEOUT' is not a number of seconds"

node_name() { echo "$NAME$1@localhost"; }
amqp_port() { echo $((BASE_PORT + $1 - 1)); }
dist_port() { echo $((DIST_BASE_PORT + $1 - 1)); }
node_dir() { echo "$DIR/node$1"; }
check_node() { [[ $1 =~ ^[123]$ ]] || die "no node '$1': the nodes are 1, 2 and 3"; }

# What every node and every rabbitmqctl call of this cluster runs with: HOME holds the cluster's cookie, and the
# machine's rabbitmq-env.conf (which names the machine's node) is replaced by an empty file.
common_env() {
    printf '%s\n' "HOME=$DIR/home" "RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf" \
        "RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins"
}

node_env() {
    local dir
    dir=$(node_dir "$1")
    common_env
    printf '%s\n' "RABBITMQ_NODENAME=$(node_name "$1")" "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
        "RABBITMQ_NODE_PORT=$(amqp_port "$1")" "RABBITMQ_DIST_PORT=$(dist_port "$1")" \
        "RABBITMQ_MNESIA_BASE=$dir/mnesia" "RABBITMQ_LOG_BASE=$dir/log" "RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf" \
        "RABBITMQ_PID_FILE=$dir/rabbitmq.pid" "ERL_EPMD_ADDRESS=127.0.0.1" \
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
}

# ctl_node N ARGS...: rabbitmqctl against node N, bounded in time
ctl_node() {
    local node=$1 environment
    shift
    mapfile -t environment < <(common_env)
    env "${environment[@]}" timeout 60 "$RABBIT_BIN/rabbitmqctl" -q -n "$(node_name "$node")" "$@"
}

node_pid() {
    local file
    file=$(node_dir "$1")/rabbitmq.pid
    [[ -s $file ]] && cat "$file"
}

# Running: its pid file names a live beam process (the node's own, not a pid reused since).
node_alive() {
    local pid
    pid=$(node_pid "$1") || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == beam* ]] \
        && tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "RABBITMQ_NODENAME=$(node_name "$1")"
}

# (stdin stays with the caller: "ctl add_user" reads a password from it)
node_booted() { node_alive "$1" && ctl_node "$1" await_startup --timeout 10 </dev/null >/dev/null 2>&1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

prepare() {
    command -v "$RABBIT_BIN/rabbitmq-server" >/dev/null \
        || die "$RABBIT_BIN/rabbitmq-server is missing: install the Debian/Ubuntu package rabbitmq-server"
    command -v epmd >/dev/null || die "epmd is missing (it comes with rabbitmq-server's Erlang)"
    mkdir -p "$DIR/home"
    chmod 700 "$DIR" "$DIR/home"
    local cookie=$DIR/home/.erlang.cookie
    if [[ ! -s $cookie ]]; then
        (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' >"$cookie.new") \
            || die "cannot write $cookie"
        mv "$cookie.new" "$cookie"
    fi
    chmod 600 "$cookie"
    : >"$DIR/rabbitmq-env.conf"
    echo '[].' >"$DIR/enabled_plugins"
    local node dir
    for node in "${NODES[@]}"; do
        dir=$(node_dir "$node")
        mkdir -p "$dir"
        # one AMQP listener on loopback; nothing else (no plugins, so no management or Prometheus listener)
        printf '%s\n' "listeners.tcp.1 = 127.0.0.1:$(amqp_port "$node")" "listeners.ssl = none" \
            "loopback_users.guest = true" >"$dir/rabbitmq.conf"
    done
}

start_node() {
    local node=$1 dir environment port
    node_alive "$node" && return 0
    dir=$(node_dir "$node")
    for port in "$(amqp_port "$node")" "$(dist_port "$node")"; do
        port_open "$port" && die "port $port of node $node ($(node_name "$node")) is taken by another program;" \
            "choose other ports with ARCHFARM_RABBITMQ_CLUSTER_PORT and ARCHFARM_RABBITMQ_CLUSTER_DIST_PORT"
    done
    rm -f "$dir/rabbitmq.pid"
    mapfile -t environment < <(node_env "$node")
    say "starting $(node_name "$node") on 127.0.0.1:$(amqp_port "$node") (distribution :$(dist_port "$node"))"
    setsid env "${environment[@]}" "$RABBIT_BIN/rabbitmq-server" >>"$dir/server.log" 2>&1 </dev/null &
}

wait_booted() {
    local node=$1 deadline=$((SECONDS + TIMEOUT))
    until node_booted "$node"; do
        ((SECONDS < deadline)) || die "$(node_name "$node") has not booted after ${TIMEOUT}s; see $(node_dir "$node")/server.log" \
            "and $(node_dir "$node")/log"
        sleep 1
    done
}

running_nodes_seen_by() {
    ctl_node "$1" eval 'rabbit_nodes:all_running().' 2>/dev/null | tr -d '[]\n ' | tr ',' '\n' | sed "s/'//g" | sort
}

joined() { ctl_node "$1" eval 'rabbit_nodes:all().' 2>/dev/null | grep -qF "'$(node_name "$2")'"; }

# A node that is not in the cluster yet joins the first other node running (node 1 when it runs).
join_cluster() {
    local node=$1 peer
    for peer in "${NODES[@]}"; do
        [[ $peer != "$node" ]] || continue
        if joined "$node" "$peer"; then return 0; fi
    done
    for peer in "${NODES[@]}"; do
        if [[ $peer == "$node" ]] || ! node_booted "$peer"; then continue; fi
        say "joining $(node_name "$node") to $(node_name "$peer")"
        ctl_node "$node" stop_app >/dev/null || die "rabbitmqctl stop_app on $(node_name "$node") failed"
        ctl_node "$node" join_cluster "$(node_name "$peer")" >/dev/null \
            || die "$(node_name "$node") cannot join $(node_name "$peer"); see $(node_dir "$node")/log"
        ctl_node "$node" start_app >/dev/null || die "rabbitmqctl start_app on $(node_name "$node") failed"
        return 0
    done
    die "$(node_name "$node") has no running node to join"
}

wait_clustered() {
    local deadline=$((SECONDS + TIMEOUT)) expected seen node
    expected=$(for node in "${NODES[@]}"; do node_name "$node"; done | sort)
    for node in "${NODES[@]}"; do
        until seen=$(running_nodes_seen_by "$node") && [[ $seen == "$expected" ]]; do
            ((SECONDS < deadline)) || die "$(node_name "$node") sees running nodes '$(echo "$seen" | xargs)'," \
                "not all three, after ${TIMEOUT}s; see $DIR/node*/log"
            sleep 1
        done
    done
}

addresses() {
    local node list=()
    for node in "${NODES[@]}"; do list+=("amqp://127.0.0.1:$(amqp_port "$node")"); done
    (IFS=,; echo "${list[*]}")
}

print_env() {
    local node names=()
    for node in "${NODES[@]}"; do names+=("$(node_name "$node")"); done
    echo "export ARCHFARM_AMQP_URL=$(addresses)"
    echo "export ARCHFARM_RABBITMQ_NODES=$(IFS=,; echo "${names[*]}")"
    echo "export ARCHFARM_RABBITMQ_HOME=$DIR/home"
}

cmd_start() {
    prepare
    local node
    for node in "${NODES[@]}"; do start_node "$node"; done
    for node in "${NODES[@]}"; do wait_booted "$node"; done
    # node 1 is the seed: the others join it
    for node in "${NODES[@]:1}"; do join_cluster "$node"; done
    for node in "${NODES[@]}"; do wait_booted "$node"; done
    wait_clustered
    # the farm has users of its own (./archfarm up makes them); no guest on these nodes
    if cmd_ctl list_users | cut -f1 | grep -qxF guest; then cmd_ctl delete_user guest >/dev/null; fi
    say "three nodes running in one cluster; the farm takes (eval \"\$($0 env)\", then ./archfarm up):"
    print_env
}

stop_node() {
    local node=$1 pid deadline
    node_alive "$node" || return 0
    pid=$(node_pid "$node")
    say "stopping $(node_name "$node")"
    ctl_node "$node" stop >/dev/null 2>&1 || true
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            say "$(node_name "$node") did not stop within 60s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 1
    done
}

cmd_stop() {
    local node
    for node in "${NODES[@]}"; do stop_node "$node"; done
}

cmd_status() {
    local node state any=1
    for node in "${NODES[@]}"; do
        if node_booted "$node"; then state="running (pid $(node_pid "$node"))"; any=0
        elif node_alive "$node"; then state="starting (pid $(node_pid "$node"))"
        else state="not running"; fi
        echo "$(node_name "$node") amqp://127.0.0.1:$(amqp_port "$node"): $state"
    done
    for node in "${NODES[@]}"; do
        if node_booted "$node"; then
            echo "running nodes as $(node_name "$node") sees them: $(running_nodes_seen_by "$node" | xargs)"
            break
        fi
    done
    return "$any"
}

cmd_kill() {
    local node=$1 pid
    check_node "$node"
    node_alive "$node" || die "$(node_name "$node") is not running"
    pid=$(node_pid "$node")
    say "SIGKILL $(node_name "$node") (pid $pid)"
    kill -KILL "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || die "pid $pid is still there 30s after SIGKILL"
        sleep 0.2
    done
}

cmd_restart() {
    local node=$1
    check_node "$node"
    stop_node "$node"
    prepare
    start_node "$node"
    wait_booted "$node"
    join_cluster "$node"
    wait_booted "$node"
    wait_clustered
    say "$(node_name "$node") runs in the cluster again"
}

cmd_ctl() {
    local node
    for node in "${NODES[@]}"; do
        if node_booted "$node"; then
            ctl_node "$node" "$@"
            return
        fi
    done
    die "no node of the cluster in $DIR is running (scripts/rabbitmq-cluster.sh start)"
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) print_env ;;
    kill) [[ $# -eq 2 ]] || die "usage: $0 kill N"; cmd_kill "$2" ;;
    restart) [[ $# -eq 2 ]] || die "usage: $0 restart N"; cmd_restart "$2" ;;
    ctl) shift; cmd_ctl "$@" ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

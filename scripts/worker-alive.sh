#!/usr/bin/env bash
# The worker container's healthcheck (docker-compose.yml). A worker has no HTTP port: what shows it is alive is its
# connection to the broker, over which it takes jobs and sends its heartbeats. Exits 0 when the worker's process
# (pid 1 in its container, or the pid given) holds an established TCP connection to the broker's port.
#
#   worker-alive.sh [pid]
#
# Only that process's own sockets count: the containers of a compose stack may share one network namespace, whose
# /proc/net/tcp lists the connections of every part in it.
set -euo pipefail

PID=${1:-1}

# the first of SPRING_RABBITMQ_ADDRESSES, as the worker reads it: [amqp[s]://][user:password@]host[:port][/vhost]
broker_port() {
    local address=${SPRING_RABBITMQ_ADDRESSES:-amqp://127.0.0.1:5672}
    address=${address%%,*}
    local scheme=amqp
    [[ $address == *://* ]] && scheme=${address%%://*}
    address=${address#*://}
    address=${address##*@}
    address=${address%%/*}
    if [[ $address =~ :([0-9]+)$ ]]; then
        echo "${BASH_REMATCH[1]}"
    elif [[ $scheme == amqps ]]; then
        echo 5671
    else
        echo 5672
    fi
}

socket_inodes() {
    local fd target
    for fd in "/proc/$PID/fd/"*; do
        target=$(readlink "$fd" 2>/dev/null) || continue
        if [[ $target =~ ^socket:\[([0-9]+)\]$ ]]; then
            echo "${BASH_REMATCH[1]}"
        fi
    done
}

port_hex=$(printf '%04X' "$(broker_port)")
inodes=$(socket_inodes | paste -sd, -)
[[ -n $inodes ]] || { echo "worker-alive: process $PID has no sockets" >&2; exit 1; }
tables=()
for table in /proc/net/tcp /proc/net/tcp6; do
    [[ -r $table ]] && tables+=("$table")
done
# /proc/net/tcp{,6}: $3 is the remote address:port in hex, $4 the state (01 = ESTABLISHED), $10 the socket's inode
if awk -v port=":$port_hex" -v inodes="$inodes" '
        BEGIN { n = split(inodes, list, ","); for (i = 1; i <= n; i++) mine[list[i]] = 1 }
        FNR > 1 && $4 == "01" && substr($3, length($3) - 4) == port && ($10 in mine) { found = 1 }
        END { exit found ? 0 : 1 }' "${tables[@]}"; then
    exit 0
fi
echo "worker-alive: process $PID has no established connection to the broker's port $(broker_port)" >&2
exit 1

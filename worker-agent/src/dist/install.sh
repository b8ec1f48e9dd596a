#!/usr/bin/env bash
# Installs the Archfarm worker agent on this host (Debian or Ubuntu, as root): the tools a worker runs (buildah,
# skopeo, git, qemu for emulated platforms, a Java 21 runtime if there is none), the agent in /opt/archfarm-worker,
# its settings in /etc/archfarm/worker.env (kept if present) and the systemd unit archfarm-worker.service.
# Then: edit /etc/archfarm/worker.env, and systemctl enable --now archfarm-worker
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=${ARCHFARM_WORKER_PREFIX:-/opt/archfarm-worker}
etc=${ARCHFARM_WORKER_ETC:-/etc/archfarm}
units=${ARCHFARM_WORKER_UNITS:-/etc/systemd/system}

die() { echo "install.sh: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run it as root: buildah builds rootful and the unit goes to $units"

if [[ -z ${ARCHFARM_WORKER_SKIP_PACKAGES:-} ]]; then
    command -v apt-get >/dev/null || die "not Debian or Ubuntu: install buildah skopeo git qemu-user-static" \
        "binfmt-support iproute2 nftables runc and a Java 21 runtime yourself, then run with" \
        "ARCHFARM_WORKER_SKIP_PACKAGES=1"
    # iproute2, nftables and runc: the network sandbox of isolation level netns (the default)
    packages=(buildah skopeo git qemu-user-static binfmt-support iproute2 nftables runc)
    apt-get update -qq
    if ! "$here/bin/archfarm-worker" --print-java-home >/dev/null 2>&1; then
        apt-cache show openjdk-21-jre-headless >/dev/null 2>&1 || die "no Java 21 runtime here and this release has" \
            "no openjdk-21-jre-headless: install one (e.g. Temurin 21) and set JAVA_HOME in $etc/worker.env"
        packages+=(openjdk-21-jre-headless)
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null \
        || die "apt-get install ${packages[*]} failed"
fi

install -d -m 0755 "$prefix/bin" "$prefix/lib"
install -m 0755 "$here/bin/archfarm-worker" "$prefix/bin/archfarm-worker"
install -m 0644 "$here/lib/worker-agent.jar" "$prefix/lib/worker-agent.jar"
install -d -m 0755 "$etc"
if [[ -e $etc/worker.env ]]; then
    echo "kept $etc/worker.env"
else
    install -m 0600 "$here/worker.env" "$etc/worker.env"
    echo "wrote $etc/worker.env: set the broker, its worker password and the worker id"
fi
install -d -m 0755 "$units"
install -m 0644 "$here/archfarm-worker.service" "$units/archfarm-worker.service"
if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
fi
echo "installed $prefix; start it with: systemctl enable --now archfarm-worker (journalctl -u archfarm-worker)"

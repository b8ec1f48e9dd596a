# shellcheck shell=bash
# The one JDK selection of the launcher (./archfarm), scripts/farm-part.sh and the benchmark scripts, which source it:
# pick_jdk sets JAVA_HOME to a JDK 21 or newer (JAVA_HOME if it is one, else the newest under /usr/lib/jvm); the
# sourcing script's own die() says what is missing. afctl/src/main/sh/afctl and worker-agent/src/dist/bin/archfarm-worker
# keep copies of their own: each ships alone to hosts without this repository (afctl's is POSIX sh, not bash).

java_major() {
    local version
    version=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    version=${version#1.}
    [[ $version =~ ^[0-9]+$ ]] && echo "$version" || echo 0
}

pick_jdk() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]]; then
        return
    fi
    local best="" best_major=0 candidate major
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x $candidate ]] || continue
        major=$(java_major "$candidate")
        if ((major > best_major)); then
            best_major=$major
            best=$(dirname "$(dirname "$candidate")")
        fi
    done
    ((best_major >= 21)) || die "no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm has none);" \
        "install one, e.g. Temurin 21, and set JAVA_HOME"
    export JAVA_HOME=$best
}

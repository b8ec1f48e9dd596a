#!/usr/bin/env bash
# Builds Archfarm's offline multi-arch base image (busybox for linux/amd64, linux/arm64, linux/s390x, linux/arm/v7 and
# linux/ppc64le) from Debian's busybox-static packages and pushes it as one OCI image index to
# <registry-host:port>/<repo>:latest.
#
#   scripts/base-image.sh 127.0.0.1:5000 [archfarm/busybox]
#
# Everything it downloads or builds lives under ${ARCHFARM_CACHE:-/var/cache/archfarm}, with buildah storage of its
# own (never a worker's), so the second run only pushes. The registry is spoken to over plain http.
set -euo pipefail

# Debian's architecture names, and each one's OCI platform and buildah TARGETARCH
ARCHES=(amd64 arm64 s390x armhf ppc64el)
declare -A PLATFORM=([amd64]=linux/amd64 [arm64]=linux/arm64 [s390x]=linux/s390x [armhf]=linux/arm/v7
    [ppc64el]=linux/ppc64le)
declare -A TARGETARCH=([amd64]=amd64 [arm64]=arm64 [s390x]=s390x [armhf]=arm [ppc64el]=ppc64le)

die() { echo "base-image: $*" >&2; exit 1; }
# shellcheck source=scripts/apt-update.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-update.sh"

[[ $# -ge 1 && $# -le 2 ]] || die "usage: $0 <registry-host:port> [repo, default archfarm/busybox]"
REGISTRY=$1
REPO=${2:-archfarm/busybox}
[[ $REGISTRY =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] || die "registry '$REGISTRY' is not host[:port]"
[[ $REPO =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || die "repo '$REPO' is not a lower-case repository path"

CACHE=${ARCHFARM_CACHE:-/var/cache/archfarm}/busybox
DEBS=$CACHE/debs
CONTEXT=$CACHE/context
STORAGE=$CACHE/storage
BUILDAH=(buildah --storage-driver vfs --root "$STORAGE/root" --runroot "$STORAGE/run")
LOCAL_LIST=localhost/archfarm-busybox:latest

for tool in buildah dpkg-deb curl sha256sum flock; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (install buildah, dpkg, curl, coreutils, util-linux)"
done
mkdir -p "$DEBS" "$CONTEXT" "$STORAGE"

# One run at a time per cache: the launcher and the e2e tests may both call this.
exec 9>"$CACHE/.lock"
flock 9

fetch_debs() {
    local missing=()
    for arch in "${ARCHES[@]}"; do
        compgen -G "$DEBS/busybox-static_*_${arch}.deb" >/dev/null || missing+=("$arch")
    done
    [[ ${#missing[@]} -eq 0 ]] && return
    [[ $(id -u) -eq 0 ]] || die "busybox-static for ${missing[*]} is not in $DEBS; run once as root to download it"
    local foreign
    foreign=$(dpkg --print-foreign-architectures)
    local need_update=false
    for arch in "${missing[@]}"; do
        if [[ $arch != "$(dpkg --print-architecture)" ]] && ! grep -qx "$arch" <<<"$foreign"; then
            dpkg --add-architecture "$arch"
            need_update=true
        fi
        apt-cache show "busybox-static:$arch" >/dev/null 2>&1 || need_update=true
    done
    if $need_update; then
        echo "base-image: apt-get update (package lists for ${missing[*]} are missing)"
        apt_update
    fi
    for arch in "${missing[@]}"; do
        (cd "$DEBS" && apt-get download -q "busybox-static:$arch") \
            || die "apt-get download busybox-static:$arch failed (is the $arch package list there? apt-get update)"
    done
}

prepare_context() {
    for arch in "${ARCHES[@]}"; do
        local deb x
        deb=$(compgen -G "$DEBS/busybox-static_*_${arch}.deb" | head -n1)
        x=$CACHE/extract-$arch
        if [[ ! -x $x/bin/busybox || $deb -nt $x/bin/busybox ]]; then
            rm -rf "$x" && mkdir -p "$x"
            dpkg-deb -x "$deb" "$x" || die "cannot unpack $deb"
        fi
        local target=$CONTEXT/busybox-${TARGETARCH[$arch]}
        cmp -s "$x/bin/busybox" "$target" || cp "$x/bin/busybox" "$target"
    done
    local containerfile
    containerfile=$(cat <<'CF'
FROM scratch
ARG TARGETARCH
COPY busybox-${TARGETARCH} /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
CF
)
    [[ -f $CONTEXT/Containerfile && $(cat "$CONTEXT/Containerfile") == "$containerfile" ]] \
        || printf '%s\n' "$containerfile" >"$CONTEXT/Containerfile"
}

# The inputs' fingerprint: when it matches the one recorded with the local manifest list, nothing is rebuilt.
fingerprint() {
    local arch binaries=()
    for arch in "${ARCHES[@]}"; do binaries+=("busybox-${TARGETARCH[$arch]}"); done
    (cd "$CONTEXT" && sha256sum Containerfile "${binaries[@]}") | sha256sum | cut -d' ' -f1
}

build_manifest_list() {
    local want
    want=$(fingerprint)
    if [[ -f $CACHE/built.fingerprint && $(cat "$CACHE/built.fingerprint") == "$want" ]] \
        && "${BUILDAH[@]}" manifest inspect "$LOCAL_LIST" >/dev/null 2>&1; then
        echo "base-image: $LOCAL_LIST is up to date"
        return
    fi
    "${BUILDAH[@]}" manifest rm "$LOCAL_LIST" >/dev/null 2>&1 || true
    rm -f "$CACHE/built.fingerprint"
    for arch in "${ARCHES[@]}"; do
        echo "base-image: building ${PLATFORM[$arch]}"
        "${BUILDAH[@]}" build --quiet --isolation chroot --platform "${PLATFORM[$arch]}" --manifest "$LOCAL_LIST" \
            "$CONTEXT" >/dev/null || die "buildah build for ${PLATFORM[$arch]} failed"
    done
    echo "$want" >"$CACHE/built.fingerprint"
}

push_manifest_list() {
    local target=$REGISTRY/$REPO:latest
    curl -fsS -o /dev/null --max-time 5 "http://$REGISTRY/v2/" || die "no registry answers at http://$REGISTRY/v2/"
    "${BUILDAH[@]}" manifest push --quiet --all --tls-verify=false --format oci --digestfile "$CACHE/pushed.digest" \
        "$LOCAL_LIST" "docker://$target" || die "pushing $target failed"
    echo "base-image: pushed $target ($(cat "$CACHE/pushed.digest"))"
}

fetch_debs
prepare_context
build_manifest_list
push_manifest_list

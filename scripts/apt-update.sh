# shellcheck shell=bash
# apt_update: apt-get update that rides out a mirror in the middle of a sync. Sourced by the launcher and by
# base-image.sh, so both treat a mirror's hiccup the same way.
#
# A mirror being synced fails apt-get update for a minute or so ("File has unexpected size … Mirror sync in
# progress?"). That is the mirror's trouble, not the farm's: the update is tried again with back-off, and when it still
# fails the caller goes on with the package lists apt already has; only a package that cannot be had then fails.
# APT_UPDATE_TRIES (4) and APT_UPDATE_BACKOFF (10 s, times the attempt) bound it.
apt_update() {
    local tries=${APT_UPDATE_TRIES:-4} backoff=${APT_UPDATE_BACKOFF:-10} attempt
    for ((attempt = 1; attempt <= tries; attempt++)); do
        apt-get update -qq && return 0
        if ((attempt < tries)); then
            echo "apt-get update failed (attempt $attempt of $tries); trying again in $((attempt * backoff))s" >&2
            sleep $((attempt * backoff))
        fi
    done
    echo "apt-get update failed $tries times; going on with the package lists apt already has" >&2
}

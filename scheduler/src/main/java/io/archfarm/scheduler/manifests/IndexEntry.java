package io.archfarm.scheduler.manifests;

import io.archfarm.model.Platform;

/** One image of a manifest list, exactly as the registry serves it. */
record IndexEntry(Platform platform, String digest, long size, String mediaType) {}

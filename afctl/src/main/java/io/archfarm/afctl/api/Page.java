package io.archfarm.afctl.api;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** One page of a list the API pages: its items and, when more exist, the URL of the next page. */
public record Page(JsonNode items, Optional<String> next) {}

package io.archfarm.afctl.api;

/** One server-sent event: its name ({@code message} when the server gave none) and its data lines joined. */
public record ServerEvent(String name, String data) {}

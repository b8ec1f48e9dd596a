package io.archfarm.afctl.cli;

import picocli.CommandLine.Option;

/** {@code -o json}: every command prints the API's JSON instead of its table, one document (a list as one array). */
public final class OutputOption {

    /** How a command prints what it got. */
    public enum Format {
        TABLE,
        JSON
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table (for people, the default) or json (the API's JSON, for scripts)")
    Format format = Format.TABLE;

    public boolean json() {
        return format == Format.JSON;
    }
}

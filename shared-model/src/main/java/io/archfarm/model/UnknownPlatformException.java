package io.archfarm.model;

/** A platform string that is malformed or names a platform Archfarm cannot build. The message names the value. */
public class UnknownPlatformException extends IllegalArgumentException {

    private final String value;

    public UnknownPlatformException(String value, String why) {
        super("unknown platform '" + value + "': " + why);
        this.value = value;
    }

    public String value() {
        return value;
    }
}

package io.archfarm.afctl.cli;

/** Something afctl itself refuses or cannot do, with the exit code it ends with; printed as {@code afctl: message}. */
public class AfctlException extends RuntimeException {

    private final int exitCode;

    public AfctlException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

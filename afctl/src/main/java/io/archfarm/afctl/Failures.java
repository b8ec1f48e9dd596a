package io.archfarm.afctl;

import io.archfarm.afctl.api.ApiError;
import io.archfarm.afctl.api.FarmUnreachable;
import io.archfarm.afctl.cli.AfctlException;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How a command that failed ends: one line {@code afctl: <title>: <detail>} on standard error and an exit code
 * that tells the kind of failure ({@link ExitCodes}); never a stack trace, unless {@code AFCTL_DEBUG} is set.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    private final Invocation invocation;

    Failures(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public int handleExecutionException(Exception error, CommandLine command, ParseResult parsed) {
        PrintWriter err = invocation.err();
        invocation.out().flush();
        int code = switch (error) {
            case AfctlException e -> report(err, e.getMessage(), e.exitCode());
            case ApiError e
            when e.unauthenticated() ->
                report(
                        err,
                        e.getMessage() + " (log in again: afctl login URL, or set AFCTL_TOKEN)",
                        ExitCodes.UNREACHABLE);
            case ApiError e -> report(err, e.getMessage(), ExitCodes.ERROR);
            case FarmUnreachable e -> report(err, e.getMessage(), ExitCodes.UNREACHABLE);
            // an UncheckedIOException always has its IOException as the cause
            case UncheckedIOException e ->
                report(
                        err,
                        e.getMessage() + ": "
                                + Objects.requireNonNull(e.getCause()).getMessage(),
                        ExitCodes.ERROR);
            default -> report(err, "unexpected error: " + error, ExitCodes.ERROR);
        };
        if (invocation.env().containsKey("AFCTL_DEBUG")) {
            error.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static int report(PrintWriter err, @Nullable String message, int code) {
        err.println("afctl: " + message);
        return code;
    }
}

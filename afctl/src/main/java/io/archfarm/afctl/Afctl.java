package io.archfarm.afctl;

import io.archfarm.afctl.builds.BuildCommand;
import io.archfarm.afctl.builds.BuildsCommand;
import io.archfarm.afctl.builds.CancelCommand;
import io.archfarm.afctl.builds.FollowCommand;
import io.archfarm.afctl.builds.InspectCommand;
import io.archfarm.afctl.builds.LogsCommand;
import io.archfarm.afctl.builds.RetryCommand;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.Version;
import io.archfarm.afctl.farm.ProjectsCommand;
import io.archfarm.afctl.farm.VersionCommand;
import io.archfarm.afctl.farm.WorkersCommand;
import io.archfarm.afctl.login.LoginCommand;
import io.archfarm.afctl.login.LogoutCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** afctl, the farm's command-line client: its commands, and how a run ends (see {@link ExitCodes}). */
@Command(
        name = "afctl",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Afctl.ClientVersion.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = "The Archfarm command-line client: multi-architecture builds on the farm, for people and CI.",
        footer = {
            "",
            "Configure with 'afctl login URL', or AFCTL_URL and AFCTL_TOKEN (which win over the file).",
            "Exit codes: 0 ok / build SUCCEEDED, 1 the farm refused, 2 bad flag or argument, 3 farm unreachable"
                    + " or token refused, 4 build FAILED, 5 PARTIAL, 6 CANCELLED."
        },
        subcommands = {
            LoginCommand.class,
            LogoutCommand.class,
            BuildCommand.class,
            FollowCommand.class,
            InspectCommand.class,
            LogsCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            BuildsCommand.class,
            ProjectsCommand.class,
            WorkersCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Afctl implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(Invocation.ofSystem(), args));
    }

    /** Runs afctl with {@code args} and returns its exit code. */
    public static int run(Invocation invocation, String... args) {
        int code = commandLine(invocation).execute(args);
        invocation.out().flush();
        invocation.err().flush();
        return code;
    }

    static CommandLine commandLine(Invocation invocation) {
        return new CommandLine(Afctl.class, new Commands(invocation))
                .setOut(invocation.out())
                .setErr(invocation.err())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new Failures(invocation));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing: afctl COMMAND (see afctl --help)");
    }

    static final class ClientVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"afctl " + Version.client()};
        }
    }
}

package io.archfarm.afctl.login;

import io.archfarm.afctl.cli.ConfigFile;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code afctl logout}: forgets the token in the config file and keeps the URL. The token stays valid on the farm;
 * revoke it there ({@code DELETE /api/v1/tokens/{id}}) if it leaked.
 */
@Command(
        name = "logout",
        header = "Remove the API token from the config file.",
        description = "The token stays valid on the farm: revoke it there (DELETE /api/v1/tokens/{id}) if it leaked.")
public final class LogoutCommand implements Callable<Integer> {

    private final Invocation invocation;

    LogoutCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        Path file = invocation.configFile();
        Optional<ConfigFile.Contents> contents = ConfigFile.read(file, invocation::warn);
        if (contents.isEmpty() || contents.get().token() == null) {
            invocation.out().println("No token in " + file + ".");
            return ExitCodes.OK;
        }
        ConfigFile.write(file, new ConfigFile.Contents(contents.get().url(), null));
        invocation.out().println("Removed the token for " + contents.get().url() + " from " + file + ".");
        return ExitCodes.OK;
    }
}

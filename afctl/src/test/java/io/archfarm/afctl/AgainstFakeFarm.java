package io.archfarm.afctl;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of afctl against a {@link FakeFarm} of its own, named by the environment, in a home of its own. */
abstract class AgainstFakeFarm {

    @TempDir
    Path home;

    final FakeFarm farm = new FakeFarm();

    @AfterEach
    void stopFarm() {
        farm.close();
    }

    Run run() {
        return Run.against(farm, home);
    }

    Run.Result afctl(String... args) {
        return run().afctl(args);
    }
}

package io.archfarm.afctl;

import io.archfarm.afctl.cli.Invocation;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Makes afctl's commands with the run's {@link Invocation} through their constructors; picocli makes the rest. */
final class Commands implements CommandLine.IFactory {

    private final Invocation invocation;

    Commands(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        Constructor<K> constructor;
        try {
            constructor = type.getDeclaredConstructor(Invocation.class);
        } catch (NoSuchMethodException notACommandOfOurs) {
            return CommandLine.defaultFactory().create(type);
        }
        constructor.setAccessible(true);
        return constructor.newInstance(invocation);
    }
}

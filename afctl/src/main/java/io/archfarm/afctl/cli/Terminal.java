package io.archfarm.afctl.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Whether afctl writes to terminals, how wide, and whether it may colour: a live display redraws in place only on a
 * terminal, and appends plain lines anywhere else (a CI log). The wrapper script tells ({@code [ -t 1 ]},
 * {@code stty size}); run with {@code java -jar} afctl asks the JVM's console.
 *
 * @param columns the terminal's width, 0 when unknown
 * @param color   ANSI colours are allowed: neither {@code NO_COLOR} nor {@code TERM=dumb}
 */
public record Terminal(boolean stdout, boolean stderr, int columns, boolean color) {

    public static final Terminal NONE = new Terminal(false, false, 0, false);

    static Terminal detect(Map<String, String> env) {
        boolean console = consoleIsTerminal();
        boolean stdout = flag("afctl.stdout.tty", console);
        boolean stderr = flag("afctl.stderr.tty", console);
        boolean color = !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
        return new Terminal(stdout, stderr, columns(env), color);
    }

    private static boolean flag(String property, boolean otherwise) {
        String value = System.getProperty(property);
        return value == null ? otherwise : Boolean.parseBoolean(value);
    }

    private static int columns(Map<String, String> env) {
        for (String value : new String[] {System.getProperty("afctl.columns"), env.get("COLUMNS")}) {
            if (value != null && value.strip().matches("[0-9]{1,4}")) {
                return Integer.parseInt(value.strip());
            }
        }
        return 0;
    }

    /** Java 21's console exists only on a terminal; from Java 22 on it may exist anyway and says isTerminal(). */
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException java21) {
            return true;
        }
    }
}

package io.archfarm.model;

/** A status change that the status's table of allowed transitions does not contain. */
public class IllegalTransitionException extends IllegalStateException {

    public IllegalTransitionException(Enum<?> from, Enum<?> to) {
        super("illegal " + from.getDeclaringClass().getSimpleName() + " transition " + from + " -> " + to);
    }
}

package dev.tasklane.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** A port of the engine whose calls of one method first run a test's hook: to watch, hold up or fail them. */
final class Intercepted {

    /** Runs before the call with its arguments; what it throws, the call throws. */
    @FunctionalInterface
    interface Hook {
        void before(Object[] args) throws Exception;
    }

    private Intercepted() {}

    /** {@code real} behind a proxy that runs {@code hook} before each call of {@code method}. */
    static <T> T port(Class<T> type, T real, String method, Hook hook) {
        return type.cast(Proxy.newProxyInstance(Intercepted.class.getClassLoader(), new Class<?>[] {type},
                (proxy, called, args) -> {
                    if (called.getName().equals(method)) {
                        hook.before(args);
                    }
                    try {
                        return called.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}

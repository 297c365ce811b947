package dev.tasklane.server.bench;

import dev.tasklane.server.TasklaneMain;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line of another Tasklane process from the same code as this one. */
final class SameJar {
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private SameJar() {}

    /**
     * From the packaged jar the launcher must load the application's classes; from a plain
     * class path (an IDE, the tests) the main class starts directly. The process gets this
     * one's heap, JIT and collector options (the launcher's), with a heap bound of its own.
     */
    static List<String> command(String maxHeap, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(inheritedOptions());
        command.addAll(List.of("-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), mainClass()));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> inheritedOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(SameJar::inherited)
                .toList();
    }

    /** The heap's start, the JIT's level and the collector with its goal: the launcher's choices for this machine. */
    static boolean inherited(String option) {
        return option.startsWith("-Xms") || option.startsWith("-XX:TieredStopAtLevel=")
                || option.matches("-XX:[+]Use\\w+GC") || option.startsWith("-XX:GCTimeRatio=");
    }

    private static String mainClass() {
        try {
            Class.forName(JAR_LAUNCHER, false, ClassLoader.getSystemClassLoader());
            return JAR_LAUNCHER;
        } catch (ClassNotFoundException e) {
            return TasklaneMain.class.getName();
        }
    }
}

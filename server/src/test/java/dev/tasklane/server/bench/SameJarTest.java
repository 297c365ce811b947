package dev.tasklane.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A benchmark's worker process runs with the launcher's heap, JIT and collector choices,
 * and nothing else of this process's options.
 */
class SameJarTest {

    @Test
    void workerProcessesKeepTheHeapStartJitLevelAndCollectorWithItsGoal() {
        assertThat(List.of("-Xms64m", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-XX:GCTimeRatio=19",
                "-XX:+UseSerialGC"))
                .allMatch(SameJar::inherited);
    }

    @Test
    void workerProcessesSetTheirOwnHeapBoundAndTakeNoRecordingsOrAgents() {
        assertThat(List.of("-Xmx512m", "-XX:StartFlightRecording=filename=a.jfr", "-XX:-UseSerialGC",
                "-agentlib:jdwp=transport=dt_socket", "-Dfoo=bar")).noneMatch(SameJar::inherited);
    }

    @Test
    void theCommandNamesTheHeapBoundAndTheArguments() {
        List<String> command = SameJar.command("256m", "worker", "--port", "0");
        assertThat(command).contains("-Xmx256m").endsWith("worker", "--port", "0");
    }
}

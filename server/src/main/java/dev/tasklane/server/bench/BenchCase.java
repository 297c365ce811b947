package dev.tasklane.server.bench;

import java.util.Map;

/** One benchmark case: one run on a fresh database and prefix, answering its figures. */
interface BenchCase {
    String name();

    /** @return the run's figures, in the order they are printed */
    Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs knobs) throws Exception;
}

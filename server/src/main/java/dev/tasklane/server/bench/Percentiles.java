package dev.tasklane.server.bench;

import java.util.Arrays;

/** Nearest-rank percentiles and rounding, as the peer benchmark computes them. */
final class Percentiles {
    private Percentiles() {}

    static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
    }

    static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    static long rate(long n, double millis) {
        return Math.round(n / millis * 1000);
    }
}

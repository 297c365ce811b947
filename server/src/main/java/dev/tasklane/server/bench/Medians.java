package dev.tasklane.server.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-figure medians and columns of a case's samples, as the peer's driver computes them. */
final class Medians {
    private Medians() {}

    /** Numbers become their median (rounded to 3 places); anything else is taken from the first sample. */
    static Map<String, Object> median(List<Map<String, Object>> samples) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Object> field : samples.getFirst().entrySet()) {
            if (field.getValue() instanceof Number) {
                double[] values = samples.stream().mapToDouble(s -> ((Number) s.get(field.getKey())).doubleValue())
                        .sorted().toArray();
                int m = values.length / 2;
                double median = values.length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
                out.put(field.getKey(), Percentiles.round3(median));
            } else {
                out.put(field.getKey(), field.getValue());
            }
        }
        return out;
    }

    /** Every numeric figure with its values over the runs. */
    static Map<String, List<Object>> columns(List<Map<String, Object>> samples) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return out;
        }
        for (String key : samples.getFirst().keySet()) {
            if (samples.getFirst().get(key) instanceof Number) {
                List<Object> column = new ArrayList<>();
                samples.forEach(s -> column.add(s.get(key)));
                out.put(key, column);
            }
        }
        return out;
    }
}

package dev.tasklane.core.lane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds a model's lane: glob routes, case-insensitive, first lane that matches wins, in configuration order. */
public final class Router {
    private record Route(LaneConfig lane, Pattern pattern) {}

    private final List<Route> routes = new ArrayList<>();
    private final List<LaneConfig> lanes;

    public Router(List<LaneConfig> lanes) {
        this.lanes = List.copyOf(lanes);
        for (LaneConfig lane : lanes) {
            for (String glob : lane.models()) {
                routes.add(new Route(lane, compile(glob)));
            }
        }
    }

    public Optional<LaneConfig> route(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return routes.stream().filter(r -> r.pattern.matcher(name).matches()).map(Route::lane).findFirst();
    }

    public Optional<LaneConfig> lane(String name) {
        return lanes.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    public List<LaneConfig> lanes() {
        return lanes;
    }

    /** Every lane's patterns, for an error that must tell the client what is routable. */
    public String describeRoutes() {
        StringBuilder sb = new StringBuilder();
        for (LaneConfig lane : lanes) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(lane.name()).append(": ").append(String.join(", ", lane.models()));
        }
        return sb.toString();
    }

    /** {@code *} any run of characters, {@code ?} one character; everything else literal. */
    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

}

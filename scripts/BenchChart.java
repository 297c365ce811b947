import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Charts Tasklane against BullMQ from the JSON lines of shared/bench/compare.sh, and prints a Markdown table.
 * Usage: java scripts/BenchChart.java TL_JSONL PEER_JSONL OUT.png [TITLE]
 */
public class BenchChart {
    static { // before any AWT class is loaded: the headless flag is read once
        System.setProperty("java.awt.headless", "true");
    }

    record Figure(String tlCase, String peerCase, String name, boolean higherIsBetter) {}

    record Result(Figure figure, double tasklane, double bullmq) {
        String ratio() { return bullmq == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", tasklane / bullmq); }

        /** 1 when Tasklane is ahead, -1 when BullMQ is, 0 on a tie. */
        int tasklaneAhead() { return Double.compare(tasklane, bullmq) * (figure.higherIsBetter ? 1 : -1); }
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("tl_submit_http_c50", "bull_add_single_c50", "jobs_per_s", true),
            new Figure("tl_e2e_noop_c50", "bull_e2e_noop_c50_single", "jobs_per_s", true),
            new Figure("tl_slow_llm_c1000", "bull_slow_llm_c1000", "efficiency", true),
            new Figure("tl_slow_llm_c1000", "bull_slow_llm_c1000", "peak_rss_mib", false),
            new Figure("tl_latency_light_c50", "bull_latency_light_c50", "lat_start_p50_ms", false),
            new Figure("tl_latency_light_c50", "bull_latency_light_c50", "lat_start_p99_ms", false),
            new Figure("tl_latency_light_c50", "bull_latency_light_c50", "lat_done_p99_ms", false));

    static final int WIDTH = 1600, HEIGHT = 900, COLUMNS = 4, MARGIN = 30, HEADER = 100;
    static final String[] NAMES = {"Tasklane", "BullMQ"};
    static final Color[] COLORS = {new Color(0x2F6DB5), new Color(0xE8833A)};
    static final Color AHEAD = new Color(0x2E7D32), BEHIND = new Color(0xC62828), MUTED = new Color(0x666666);
    static final String FONT = Font.SANS_SERIF;

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java scripts/BenchChart.java TL_JSONL PEER_JSONL OUT.png [TITLE]");
            System.exit(2);
        }
        Map<String, List<Map<?, ?>>> tasklane = load(Path.of(args[0])), bullmq = load(Path.of(args[1]));
        List<Result> results = new ArrayList<>();
        for (Figure f : FIGURES) {
            OptionalDouble tl = median(tasklane, f.tlCase, f.name), peer = median(bullmq, f.peerCase, f.name);
            if (tl.isPresent() && peer.isPresent()) results.add(new Result(f, tl.getAsDouble(), peer.getAsDouble()));
            else System.err.printf("skipping %s: %s has none%n", f.name, tl.isPresent() ? f.peerCase : f.tlCase);
        }
        if (results.isEmpty()) {
            System.err.println("nothing to chart: no figure has values on both sides");
            System.exit(1);
        }
        printTable(results);
        try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
            ImageIO.write(draw(results, args.length > 3 ? args[3] : "Tasklane vs BullMQ"), "png", out);
        }
    }

    /** Case name to the "median" objects of its lines; lines that do not parse are skipped with a warning. */
    static Map<String, List<Map<?, ?>>> load(Path file) throws IOException {
        Map<String, List<Map<?, ?>>> byCase = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                if (!(new Json(lines.get(i)).parseDocument() instanceof Map<?, ?> row
                        && row.get("case") instanceof String name && row.get("median") instanceof Map<?, ?> median)) {
                    throw new IllegalArgumentException("not an object with \"case\" and \"median\"");
                }
                byCase.computeIfAbsent(name, k -> new ArrayList<>()).add(median);
            } catch (IllegalArgumentException e) {
                System.err.printf("warning: %s:%d skipped: %s%n", file, i + 1, e.getMessage());
            }
        }
        return byCase;
    }

    static OptionalDouble median(Map<String, List<Map<?, ?>>> byCase, String name, String figure) {
        double[] values = byCase.getOrDefault(name, List.of()).stream()
                .map(m -> m.get(figure)).filter(v -> v instanceof Double d && Double.isFinite(d))
                .mapToDouble(v -> (Double) v).sorted().toArray();
        int n = values.length;
        if (n == 0) return OptionalDouble.empty();
        return OptionalDouble.of(n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
    }

    static void printTable(List<Result> results) {
        System.out.println("| figure | Tasklane | BullMQ | ratio | better |");
        System.out.println("|---|---:|---:|---:|---|");
        for (Result r : results) {
            Figure f = r.figure;
            System.out.printf("| %s (%s vs %s) | %s | %s | %s | %s |%n", f.name, f.tlCase, f.peerCase,
                    format(r.tasklane), format(r.bullmq), r.ratio(), f.higherIsBetter ? "higher" : "lower");
        }
    }

    /** Whole numbers (thousands grouped) from 100 up, one decimal from 10, two below. */
    static String format(double v) {
        double size = Math.abs(v);
        return String.format(Locale.ROOT, size >= 100 ? "%,.0f" : size >= 10 ? "%.1f" : "%.2f", v);
    }

    static BufferedImage draw(List<Result> results, String title) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        g.setColor(Color.BLACK);
        g.setFont(new Font(FONT, Font.BOLD, 30));
        g.drawString(title, MARGIN + 10, 55);
        g.setColor(MUTED);
        g.setFont(new Font(FONT, Font.PLAIN, 15));
        g.drawString("median over rounds; ratio = Tasklane / BullMQ, green when Tasklane is ahead", MARGIN + 10, 82);
        g.setFont(new Font(FONT, Font.PLAIN, 18));
        for (int i = 0, x = WIDTH - MARGIN - 230; i < 2; i++, x += 130) { // the legend, top right
            g.setColor(COLORS[i]);
            g.fillRect(x, 34, 18, 18);
            g.setColor(Color.BLACK);
            g.drawString(NAMES[i], x + 26, 50);
        }

        int columns = Math.min(COLUMNS, results.size()), rows = (results.size() + columns - 1) / columns;
        int panelWidth = (WIDTH - 2 * MARGIN) / columns, panelHeight = (HEIGHT - HEADER - MARGIN) / rows;
        for (int i = 0; i < results.size(); i++) {
            drawPanel(g, results.get(i), MARGIN + i % columns * panelWidth, HEADER + i / columns * panelHeight,
                    panelWidth, panelHeight);
        }
        g.dispose();
        return image;
    }

    static void drawPanel(Graphics2D g, Result r, int x, int y, int width, int height) {
        int inset = 8, left = x + inset, top = y + inset, w = width - 2 * inset, h = height - 2 * inset;
        g.setColor(new Color(0xF7F7F7));
        g.fillRoundRect(left, top, w, h, 12, 12);
        g.setColor(new Color(0xDDDDDD));
        g.drawRoundRect(left, top, w, h, 12, 12);

        Figure f = r.figure;
        int center = left + w / 2;
        g.setColor(Color.BLACK);
        drawCentered(g, f.name + (f.higherIsBetter ? " (higher is better)" : " (lower is better)"),
                new Font(FONT, Font.BOLD, 17), center, top + 28);
        int ahead = r.tasklaneAhead();
        g.setColor(ahead > 0 ? AHEAD : ahead < 0 ? BEHIND : MUTED);
        drawCentered(g, "Tasklane / BullMQ = " + r.ratio() + "\u00d7", new Font(FONT, Font.BOLD, 16), center, top + 52);
        g.setColor(MUTED);
        drawCentered(g, f.tlCase + " vs " + f.peerCase, new Font(FONT, Font.PLAIN, 13), center, top + 73);

        int baseline = top + h - 24, plotHeight = baseline - (top + 110);
        int barWidth = Math.min(90, w / 5), gap = barWidth / 2;
        double max = Math.max(r.tasklane, r.bullmq);
        double[] values = {r.tasklane, r.bullmq};
        for (int i = 0; i < 2; i++) {
            int barHeight = max <= 0 ? 0 : (int) Math.round(Math.max(0, values[i]) / max * plotHeight);
            int barLeft = i == 0 ? center - gap / 2 - barWidth : center + gap / 2;
            g.setColor(COLORS[i]);
            g.fillRect(barLeft, baseline - barHeight, barWidth, barHeight);
            g.setColor(Color.BLACK);
            drawCentered(g, format(values[i]), new Font(FONT, Font.BOLD, 17), barLeft + barWidth / 2,
                    baseline - barHeight - 8);
        }
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(left + 20, baseline, left + w - 20, baseline);
    }

    static void drawCentered(Graphics2D g, String text, Font font, int centerX, int baselineY) {
        g.setFont(font);
        g.drawString(text, centerX - g.getFontMetrics().stringWidth(text) / 2, baselineY);
    }

    /** A minimal JSON reader: objects, arrays, strings, numbers (as Double), true, false, null. */
    static final class Json {
        private final String text;
        private int pos;

        Json(String text) { this.text = text; }

        Object parseDocument() {
            Object value = parseValue();
            skipSpace();
            if (pos != text.length()) throw error("trailing characters");
            return value;
        }

        private Object parseValue() {
            skipSpace();
            if (pos >= text.length()) throw error("unexpected end of line");
            char c = text.charAt(pos);
            if (c == '{') return parseObject();
            if (c == '[') return parseArray();
            if (c == '"') return parseString();
            if (text.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
            if (text.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
            if (text.startsWith("null", pos)) { pos += 4; return null; }
            int start = pos;
            while (pos < text.length() && "+-.eE0123456789".indexOf(text.charAt(pos)) >= 0) pos++;
            try {
                return Double.parseDouble(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("bad value");
            }
        }

        private Map<String, Object> parseObject() {
            Map<String, Object> object = new LinkedHashMap<>();
            pos++;
            if (consume('}')) return object;
            do {
                if (!(parseValue() instanceof String key)) throw error("expected a key");
                if (!consume(':')) throw error("expected ':'");
                object.put(key, parseValue());
            } while (consume(','));
            if (!consume('}')) throw error("expected ',' or '}'");
            return object;
        }

        private List<Object> parseArray() {
            List<Object> array = new ArrayList<>();
            pos++;
            if (consume(']')) return array;
            do array.add(parseValue()); while (consume(','));
            if (!consume(']')) throw error("expected ',' or ']'");
            return array;
        }

        private String parseString() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') return out.toString();
                if (c != '\\') { out.append(c); continue; }
                if (pos >= text.length()) break;
                char e = text.charAt(pos++);
                int simple = "\"\\/bfnrt".indexOf(e);
                if (simple >= 0) out.append("\"\\/\b\f\n\r\t".charAt(simple));
                else if (e != 'u' || pos + 4 > text.length()) throw error("bad escape");
                else out.append((char) Integer.parseInt(text.substring(pos, pos += 4), 16));
            }
            throw error("unterminated string");
        }

        private boolean consume(char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) { pos++; return true; }
            return false;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at column " + (pos + 1));
        }
    }
}

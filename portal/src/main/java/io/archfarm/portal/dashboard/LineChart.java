package io.archfarm.portal.dashboard;

import io.archfarm.portal.web.Formats;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daily median duration of each platform and mode over the last 30 days, one line each (emulated ones dashed):
 * a platform that slows down shows as a rising line. Days without a succeeded job are skipped, not drawn as zero.
 */
record LineChart(
        int width,
        int height,
        double left,
        double right,
        double top,
        double bottom,
        List<DurationScale.Tick> ticks,
        List<BarChart.Label> days,
        List<Series> series) {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 240;
    private static final double LEFT = 64;
    private static final double RIGHT = WIDTH - 24;
    private static final double TOP = 16;
    private static final double BOTTOM = HEIGHT - 32;
    private static final int LABEL_EVERY_DAYS = 7;
    private static final int COLOURS = 6;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    static LineChart of(List<LocalDate> days, List<DailyMedian> medians, Formats fmt) {
        DurationScale scale = new DurationScale(
                medians.stream().mapToDouble(DailyMedian::medianMillis).max().orElse(0), TOP, BOTTOM);
        double step = (RIGHT - LEFT) / Math.max(1, days.size() - 1);
        List<String> platforms =
                medians.stream().map(DailyMedian::platform).distinct().sorted().toList();
        Map<String, List<DailyMedian>> byLine = new LinkedHashMap<>();
        medians.forEach(m -> byLine.computeIfAbsent(m.platform() + " " + m.mode(), k -> new ArrayList<>())
                .add(m));
        List<Series> series = byLine.entrySet().stream()
                .map(line -> {
                    DailyMedian first = line.getValue().getFirst();
                    String css = "series-" + platforms.indexOf(first.platform()) % COLOURS + " "
                            + first.mode().toLowerCase(Locale.ROOT);
                    List<Dot> dots = line.getValue().stream()
                            .filter(m -> days.contains(m.day()))
                            .map(m -> new Dot(
                                    DurationScale.round(LEFT + step * days.indexOf(m.day())),
                                    scale.y(m.medianMillis()),
                                    line.getKey() + " " + m.day() + ": median " + fmt.duration(m.medianMillis())
                                            + " over " + m.jobs() + " jobs"))
                            .toList();
                    return new Series(line.getKey(), css, dots);
                })
                .toList();
        List<BarChart.Label> labels = new ArrayList<>();
        for (int i = days.size() - 1; i >= 0; i -= LABEL_EVERY_DAYS) {
            labels.addFirst(
                    new BarChart.Label(DurationScale.round(LEFT + step * i), BOTTOM + 18, DAY.format(days.get(i))));
        }
        return new LineChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, scale.ticks(), labels, series);
    }

    public boolean empty() {
        return series.isEmpty();
    }

    /** One platform and mode: a polyline through its days and a dot (with a tooltip) on each. */
    record Series(String name, String cssClass, List<Dot> dots) {

        public String points() {
            StringBuilder points = new StringBuilder();
            dots.forEach(dot -> points.append(points.isEmpty() ? "" : " ")
                    .append(dot.x())
                    .append(',')
                    .append(dot.y()));
            return points.toString();
        }
    }

    record Dot(double x, double y, String title) {}
}

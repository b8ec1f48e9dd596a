package io.archfarm.portal.dashboard;

import io.archfarm.portal.web.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The median duration of each platform as bars, native and emulated side by side; every number the template draws
 * is computed here.
 */
record BarChart(
        int width,
        int height,
        double left,
        double right,
        double top,
        double bottom,
        List<DurationScale.Tick> ticks,
        List<Bar> bars,
        List<Label> platforms) {

    static final int WIDTH = 640;
    static final int HEIGHT = 240;
    private static final double LEFT = 64;
    private static final double RIGHT = WIDTH - 12;
    private static final double TOP = 16;
    private static final double BOTTOM = HEIGHT - 32;
    private static final double MAX_BAR = 56;
    private static final List<String> MODES = List.of("NATIVE", "EMULATED");

    static BarChart of(List<PlatformDuration> durations, Formats fmt) {
        List<String> platforms = durations.stream()
                .map(PlatformDuration::platform)
                .distinct()
                .sorted()
                .toList();
        DurationScale scale = new DurationScale(
                durations.stream()
                        .mapToDouble(PlatformDuration::medianMillis)
                        .max()
                        .orElse(0),
                TOP,
                BOTTOM);
        double slot = (RIGHT - LEFT) / Math.max(1, platforms.size());
        double barWidth = Math.min(MAX_BAR, slot * 0.36);
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int p = 0; p < platforms.size(); p++) {
            double center = LEFT + slot * (p + 0.5);
            labels.add(new Label(DurationScale.round(center), BOTTOM + 18, platforms.get(p)));
            for (PlatformDuration d : durations) {
                if (!d.platform().equals(platforms.get(p))) {
                    continue;
                }
                double x = d.mode().equals(MODES.getFirst()) ? center - barWidth - 1 : center + 1;
                double y = scale.y(d.medianMillis());
                bars.add(new Bar(
                        DurationScale.round(x),
                        y,
                        DurationScale.round(barWidth),
                        DurationScale.round(BOTTOM - y),
                        "bar-" + d.mode().toLowerCase(Locale.ROOT),
                        d.platform(),
                        d.mode(),
                        fmt.duration(d.medianMillis()),
                        d.platform() + " " + d.mode() + ": median " + fmt.duration(d.medianMillis()) + " over "
                                + d.jobs() + " jobs"));
            }
        }
        return new BarChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, scale.ticks(), bars, labels);
    }

    public boolean empty() {
        return bars.isEmpty();
    }

    /** One bar, with its value written above it and a tooltip ({@code <title>}). */
    record Bar(
            double x,
            double y,
            double width,
            double height,
            String cssClass,
            String platform,
            String mode,
            String value,
            String title) {

        public double labelX() {
            return DurationScale.round(x + width / 2);
        }

        public double labelY() {
            return DurationScale.round(y - 4);
        }
    }

    record Label(double x, double y, String text) {}
}

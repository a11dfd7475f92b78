package dev.weakalloc.benchmarks.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of a benchmark's table, written as a PNG for the README: one line with point
 * markers per series, an optional logarithmic x axis and labelled horizontal reference lines (a
 * capacity, a target). Drawn by JFreeChart, headless, in the colour-blind-safe colours of Okabe
 * and Ito (JFreeChart's own include a yellow that is hard to see on white); each line is drawn
 * over the ones added before it.
 *
 * <pre>{@code
 * new LineChart("Hit ratio against budget", "budget (% of keys)", "hit ratio (%)")
 *     .line("LRU", new double[] {5, 10, 25}, new double[] {61.2, 70.4, 80.9})
 *     .line("Caffeine", new double[] {5, 10, 25}, new double[] {66.0, 74.1, 83.5})
 *     .writePng(Path.of("hit-ratio.png"));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe; build and write a chart on one thread. It holds only heap
 * copies of the figures given to it.
 */
public final class LineChart {
  /** The size of every README plot, in pixels. */
  public static final int WIDTH = 900;

  /** The size of every README plot, in pixels. */
  public static final int HEIGHT = 540;

  /** The lines' colours, in the order the lines are added (Okabe and Ito), then repeated. */
  private static final Color[] COLOURS = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0xE69F00), new Color(0x56B4E9), Color.BLACK
  };

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final XYSeriesCollection series = new XYSeriesCollection();
  private final List<ValueMarker> markers = new ArrayList<>();
  private boolean logarithmicX;
  private boolean yAxisFitsData;

  /**
   * A chart with no lines yet.
   *
   * @param title the chart's title
   * @param xLabel the x axis's label, with its unit
   * @param yLabel the y axis's label, with its unit
   */
  public LineChart(String title, String xLabel, String yLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
    this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
  }

  /**
   * Adds a line through the points {@code (x[i], y[i])}, in the order given.
   *
   * @return this chart
   * @throws IllegalArgumentException if {@code x} and {@code y} differ in length, are empty, or a
   *     line of that name exists
   */
  public LineChart line(String name, double[] x, double[] y) {
    Objects.requireNonNull(name, "name");
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("line " + name + ": " + x.length + " x values and "
          + y.length + " y values; each point needs one of each, and a line at least one point");
    }
    if (series.getSeriesIndex(name) >= 0) {
      throw new IllegalArgumentException("line " + name + " is already on the chart " + title);
    }
    XYSeries line = new XYSeries(name, false, true);
    for (int i = 0; i < x.length; i++) {
      line.add(x[i], y[i]);
    }
    series.addSeries(line);
    return this;
  }

  /**
   * Draws the x axis on a logarithmic scale (entries from 10^4 to 10^7, say).
   *
   * @return this chart
   */
  public LineChart logarithmicX() {
    logarithmicX = true;
    return this;
  }

  /**
   * Lets the y axis span the figures instead of zero to them, so that differences of a point or
   * two (hit ratios) stay visible. Leave it off where a fall is read against the whole (throughput).
   *
   * @return this chart
   */
  public LineChart yAxisFitsData() {
    yAxisFitsData = true;
    return this;
  }

  /**
   * Adds a dashed horizontal line at {@code y}, labelled (a capacity, a target).
   *
   * @return this chart
   */
  public LineChart horizontalLine(String label, double y) {
    ValueMarker marker = new ValueMarker(y, Color.DARK_GRAY,
        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    marker.setLabel(Objects.requireNonNull(label, "label"));
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    markers.add(marker);
    return this;
  }

  /**
   * Writes the chart as a {@value #WIDTH} by {@value #HEIGHT} PNG, creating the file's folder.
   *
   * @return {@code file}
   * @throws IllegalStateException if the chart has no line
   * @throws UncheckedIOException if the file cannot be written
   */
  public Path writePng(Path file) {
    if (series.getSeriesCount() == 0) {
      throw new IllegalStateException("the chart " + title + " has no line to draw");
    }
    System.setProperty("java.awt.headless", "true");
    JFreeChart chart = ChartFactory.createXYLineChart(
        title, xLabel, yLabel, series, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < series.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
    }
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(!yAxisFitsData);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    if (logarithmicX) {
      LogAxis axis = new LogAxis(xLabel);
      axis.setBase(10);
      axis.setSmallestValue(1e-9);
      plot.setDomainAxis(axis);
    }
    markers.forEach(plot::addRangeMarker);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + title + " to " + file, e);
    }
    return file;
  }
}

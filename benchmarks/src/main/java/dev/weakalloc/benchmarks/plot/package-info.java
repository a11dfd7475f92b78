/**
 * Plots for the README, drawn from the benchmark mains' tables with JFreeChart: {@link
 * dev.weakalloc.benchmarks.plot.LineChart}.
 */
package dev.weakalloc.benchmarks.plot;

package dev.weakalloc.samples.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress bar never shows less than it showed before, and a finished bar shows 100 %. */
class ProgressBarTest {
  @Test
  void stepsFromManyThreads_onATerminal_neverGoBack_andEndAtTheTotal() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int threads = 4;
    int steps = 5_000;
    ProgressBar bar = new ProgressBar("work", threads * steps, out, true);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < steps; i++) {
          bar.step();
        }
      }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    bar.finish();

    String[] frames = bytes.toString(StandardCharsets.UTF_8).strip().split("\r");
    long previous = -1;
    for (String frame : frames) {
      if (frame.isBlank()) {
        continue;
      }
      long count = Long.parseLong(frame.substring(frame.lastIndexOf(' ') + 1, frame.indexOf('/')));
      assertThat(count).as("frame %s", frame).isGreaterThanOrEqualTo(previous);
      previous = count;
    }
    assertThat(frames[frames.length - 1]).endsWith("100% 20000/20000");
  }

  @Test
  void finish_offATerminal_printsNothingMore() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("work", 4, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int i = 0; i < 4; i++) {
      bar.step();
    }
    bar.finish();

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(4).last().asString()
        .endsWith("100% 4/4");
  }
}

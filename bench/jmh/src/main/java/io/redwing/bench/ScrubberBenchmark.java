package io.redwing.bench;

import io.redwing.agent.errors.Scrubber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The secret scrubbing every exported log record's body and every recorded exception's message and
 * stack trace go through, on the thread that logged or failed: a log line with nothing to remove,
 * one with a secret, and the stack trace of an exception thrown 40 calls deep (about 1 KB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrubberBenchmark {

  @Param({
    "log-line",
    "log-line-with-secret",
    "stack-trace",
    "one-megabyte-log-line",
    "parser-echoes"
  })
  public String text;

  private String input;

  @Setup
  public void prepare() {
    switch (text) {
      case "log-line":
        input = "Completed initialization in 3 ms for owner 42 of clinic petclinic-main; hits 0.93";
        break;
      case "log-line-with-secret":
        input = "login of user 42 refused: password=hunter2 from https://shop.example.com/login";
        break;
      case "one-megabyte-log-line":
        // a request body an application logs whole, or puts in an exception's message
        input = "rejected order 42: " + "{\"sku\": \"A-1\", \"qty\": 3}, ".repeat(40_000);
        break;
      case "parser-echoes":
        // bad input at the bound: a parser's echoes, 1,400 of them in 30 KB
        input = "mismatched input 'O' and token 'Brien', ".repeat(700);
        break;
      default:
        StringWriter trace = new StringWriter();
        thrownAt(40).printStackTrace(new PrintWriter(trace));
        input = trace.toString();
    }
  }

  private static IllegalStateException thrownAt(int depth) {
    return depth == 0 ? new IllegalStateException("no such owner: 42") : thrownAt(depth - 1);
  }

  @Benchmark
  public String scrub() {
    return Scrubber.DEFAULTS.text(input);
  }
}

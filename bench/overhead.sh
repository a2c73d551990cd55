#!/usr/bin/env bash
# The overhead benchmark: the demo application (embedded Tomcat + Spring MVC, HikariCP on H2 or
# DEMO_JDBC_URL, plus whatever endpoints PATHS names) run three ways in one run: no agent, Redwing,
# and the OpenTelemetry Java agent (pinned in the root pom, fetched from Maven Central). Both agents
# export OTLP to a local sink and serve Prometheus metrics, scraped every SCRAPE_SECONDS.
# Rounds alternate the three so that machine noise spreads evenly; figures are medians.
#
#   bench/overhead.sh                      build nothing, measure, print and write bench/RESULTS.md
#   ROUNDS=1 STARTS=1 WARMUP=2 DURATION=3 RATE_DURATION=3 SETTLE_MAX=5 bench/overhead.sh
#                                          a quick smoke run
#
# Latency at the moderate rate is measured once the JIT has settled: after the saturating load the
# compiler threads still have a backlog of hot methods, and while they work through it they take
# much of the application's one core, so a p99 measured then is the JIT's, and varies with how far
# it got. The moderate load runs in SETTLE_WINDOW-second windows until the compiler threads used
# less than SETTLE_PERCENT of a core in one (at most SETTLE_MAX seconds); how long that took is a
# figure of its own, since an agent that adds code to compile makes it longer.
#
# CPU per request and throughput are measured twice under the saturating load. The first time,
# after a short warm-up, the JIT is still compiling (16 busy request threads leave its threads
# little of the one core), so those figures include compiling each agent's code and running it
# before it is compiled. The second time, after the moderate-rate phase, the JIT has settled: the
# steady state.
#
# Needs: the built jars (./mvnw -DskipTests package -pl agent-core,examples/demo-app -am), wrk,
# curl, jcmd. Environment: ROUNDS (5), STARTS (5), WARMUP (10 s), DURATION (20 s), RATE_DURATION
# (30 s), CONNECTIONS (16), RATE_CONNECTIONS (4), DELAY_MS (20: the pause per connection at the
# moderate rate), SETTLE_WINDOW (5 s), SETTLE_PERCENT (5), SETTLE_MAX (120 s), PATHS, JAVA, HEAP
# (512m), RESULTS (bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

ROUNDS=${ROUNDS:-5}
STARTS=${STARTS:-5}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-20}
RATE_DURATION=${RATE_DURATION:-30}
SETTLE_WINDOW=${SETTLE_WINDOW:-5}
SETTLE_PERCENT=${SETTLE_PERCENT:-5}
SETTLE_MAX=${SETTLE_MAX:-120}
SCRAPE_SECONDS=${SCRAPE_SECONDS:-5}
RESULTS=${RESULTS:-bench/RESULTS.md}
APP_PORT=${APP_PORT:-18181}
METRICS_PORT=${METRICS_PORT:-19465}

work=$root/bench/target/overhead
mkdir -p "$work"
agent=$root/agent-core/target/redwing-agent.jar
demo=$root/examples/demo-app/target/redwing-demo-app.jar
. bench/common.sh
otel=$root/$otel_jar
modes=(none redwing otel)

for cmd in wrk curl jcmd; do
  command -v "$cmd" >/dev/null || { echo "overhead: $cmd is needed (apt-get install wrk curl; jcmd comes with the JDK)" >&2; exit 1; }
done
for jar in "$agent" "$demo"; do
  [[ -f $jar ]] || { echo "overhead: $jar is missing: ./mvnw -DskipTests package -pl agent-core,examples/demo-app -am" >&2; exit 1; }
done
if [[ ! -f $otel ]]; then
  echo "==> fetching the OpenTelemetry Java agent $otel_version"
  ./mvnw -q -B dependency:copy -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" \
    -DoutputDirectory="$work" >/dev/null
fi

# Two cores or more: the application on the last one, the load generator on the others.
app_pin=() load_pin=()
cpus=$(nproc)
if command -v taskset >/dev/null && ((cpus >= 2)); then
  app_pin=(taskset -c $((cpus - 1)))
  load_pin=(taskset -c 0-$((cpus - 2)))
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The stand-in collector and the scraper run beside wrk, not on the application's core: a real
# collector and Prometheus do not share the application's CPU, and the scheduler otherwise wakes
# the sink on the core of the agent thread that sent it a batch.
"${load_pin[@]}" "$JAVA" "$root/bench/OtlpSink.java" "$SINK_PORT" >"$work/sink.log" 2>&1 &
pids+=($!)

app= started_ms=
start_app() { # mode log-name; sets $app and $started_ms, from launch to the first 200
  local mode=$1 name=$2 args=() vars t0
  mapfile -t vars < <(demo_env "$SINK_PORT" "$METRICS_PORT" "$APP_PORT")
  case $mode in
    redwing) args=(-javaagent:"$agent") ;;
    otel) args=(-javaagent:"$otel") ;;
  esac
  t0=$(date +%s%N)
  env "${vars[@]}" \
    "${app_pin[@]}" "$JAVA" -Xmx"$HEAP" -Xlog:gc:file="$work/$name.gc.log" "${args[@]}" -jar "$demo" \
    >"$work/$name.log" 2>&1 &
  app=$!
  pids+=("$app")
  until curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/owners/1"; do
    kill -0 "$app" 2>/dev/null || { echo "overhead: the $mode run exited, see $work/$name.log" >&2; exit 1; }
    sleep 0.01
  done
  started_ms=$((($(date +%s%N) - t0) / 1000000))
}

stop_app() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$APP_PORT/"; do sleep 0.1; done
}

heap_used_kb() { jcmd "$1" GC.heap_info 2>/dev/null | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1; }
gc_events() { grep -c -- '->' "$1" 2>/dev/null || true; }

# Bytes allocated between two points: the heap grows only by allocation between the collections
# the GC log reports, so allocation = sum of (used before each collection - used after the one
# before), starting from and ending at the heap used measured at the two points.
allocated_kb() { # gc-log from-event to-event heap-before-kb heap-after-kb
  awk -v from="$2" -v to="$3" -v h0="$4" -v h1="$5" '
    function kb(v) { u = substr(v, length(v)); n = substr(v, 1, length(v) - 1)
      return u == "G" ? n * 1048576 : u == "M" ? n * 1024 : u == "K" ? n : n / 1024 }
    /->/ { e++; if (e <= from || e > to) next
      match($0, /[0-9]+[KMG]?->[0-9]+[KMG]?/); split(substr($0, RSTART, RLENGTH), p, "->")
      total += kb(p[1]) - prev; prev = kb(p[2]); next }
    BEGIN { prev = h0 }
    END { total += h1 - prev; print (total < 0 ? 0 : total) }' "$1"
}

run_wrk() { # connections delay-ms seconds -> wrk output
  PATHS=$PATHS DELAY_MS=$2 "${load_pin[@]}" wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$3"s --latency \
    -s "$root/bench/wrk/mix.lua" "http://127.0.0.1:$APP_PORT" 2>&1
}

# Readings of a wrk output ($1).
requests_in() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$1"; }
requests_per_second() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$1"; }
ms_per_1k() { # CPU ticks, wrk output -> CPU ms per 1,000 of its requests
  awk -v t="$1" -v hz="$CLK_TCK" -v n="$(requests_in "$2")" 'BEGIN {printf "%.1f", t * 1000 / hz * 1000 / n}'
}

settle_jit() { # runs the moderate load until the compilers are nearly idle; prints the seconds
  local waited=0 before after
  while ((waited < SETTLE_MAX)); do
    before=$(compiler_ticks "$app")
    run_wrk "$RATE_CONNECTIONS" "$DELAY_MS" "$SETTLE_WINDOW" >/dev/null
    after=$(compiler_ticks "$app")
    waited=$((waited + SETTLE_WINDOW))
    compilers_idle "$((after - before))" && { echo "$waited"; return; }
  done
  echo "overhead: the JIT had not settled after ${SETTLE_MAX}s of the moderate load ($mode); measuring anyway" >&2
  echo "$waited"
}

declare -A figures # "<figure> <mode>" -> space-separated samples
add() { figures["$1 $2"]+="$3 "; }

measure_round() { # round mode
  local round=$1 mode=$2 name="$2-$1" scraper= out requests cpu0 cpu1 heap0 heap1 ev0 ev1
  start_app "$mode" "$name"
  add start "$mode" "$started_ms"
  if [[ $mode != none ]]; then
    (while sleep "$SCRAPE_SECONDS"; do "${load_pin[@]}" curl -s -o /dev/null "http://127.0.0.1:$METRICS_PORT/metrics"; done) &
    scraper=$!
  fi
  run_wrk "$CONNECTIONS" 0 "$WARMUP" >"$work/$name.warmup.txt"

  heap0=$(heap_used_kb "$app"); ev0=$(gc_events "$work/$name.gc.log"); cpu0=$(cpu_ticks "$app")
  out=$(run_wrk "$CONNECTIONS" 0 "$DURATION"); echo "$out" >"$work/$name.throughput.txt"
  cpu1=$(cpu_ticks "$app"); ev1=$(gc_events "$work/$name.gc.log"); heap1=$(heap_used_kb "$app")
  no_errors "$out" "the $mode run"
  requests=$(requests_in "$out")
  add throughput "$mode" "$(requests_per_second "$out")"
  add cpu "$mode" "$(ms_per_1k "$((cpu1 - cpu0))" "$out")"
  add alloc "$mode" "$(awk -v kb="$(allocated_kb "$work/$name.gc.log" "$ev0" "$ev1" "$heap0" "$heap1")" -v n="$requests" \
    'BEGIN {printf "%.1f", kb / n}')"

  add settle "$mode" "$(settle_jit)"
  out=$(run_wrk "$RATE_CONNECTIONS" "$DELAY_MS" "$RATE_DURATION"); echo "$out" >"$work/$name.rate.txt"
  add rate "$mode" "$(requests_per_second "$out")"
  add p50 "$mode" "$(latency_ms 50% "$out")"
  add p99 "$mode" "$(latency_ms 99% "$out")"
  add rss "$mode" "$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$app/status")"

  cpu0=$(cpu_ticks "$app")
  out=$(run_wrk "$CONNECTIONS" 0 "$DURATION"); echo "$out" >"$work/$name.settled.txt"
  cpu1=$(cpu_ticks "$app")
  no_errors "$out" "the $mode run"
  add cpu_settled "$mode" "$(ms_per_1k "$((cpu1 - cpu0))" "$out")"
  add throughput_settled "$mode" "$(requests_per_second "$out")"

  [[ -n $scraper ]] && { kill "$scraper" 2>/dev/null; wait "$scraper" 2>/dev/null || true; }
  stop_app
}

med() { median <<<"${figures["$1 $2"]}"; }

echo "==> overhead benchmark: $ROUNDS rounds, $STARTS starts, ${DURATION}s load, paths: $PATHS"
echo "    $("$JAVA" -version 2>&1 | head -1), $(nproc) cores, OpenTelemetry agent $otel_version"
for r in $(seq 1 "$ROUNDS"); do
  for m in "${modes[@]}"; do
    printf '    round %s %-8s' "$r" "$m"
    measure_round "$r" "$m"
    printf ' start %6s ms  %8s req/s  cpu %6s ms/1k  JIT settled %3s s  p99 %6s ms  rss %5s MB\n' \
      "$(awk '{print $NF}' <<<"${figures["start $m"]}")" "$(awk '{print $NF}' <<<"${figures["throughput $m"]}")" \
      "$(awk '{print $NF}' <<<"${figures["cpu $m"]}")" "$(awk '{print $NF}' <<<"${figures["settle $m"]}")" \
      "$(awk '{print $NF}' <<<"${figures["p99 $m"]}")" \
      "$(awk '{print $NF}' <<<"${figures["rss $m"]}")"
  done
done
# More start-ups than load rounds, alternating too: start-up time is the noisiest figure.
for s in $(seq "$((ROUNDS + 1))" "$STARTS"); do
  for m in "${modes[@]}"; do
    start_app "$m" "$m-start-$s"
    add start "$m" "$started_ms"
    stop_app
  done
  echo "    start-up round $s: none $(awk '{print $NF}' <<<"${figures["start none"]}") ms," \
    "redwing $(awk '{print $NF}' <<<"${figures["start redwing"]}") ms, otel $(awk '{print $NF}' <<<"${figures["start otel"]}") ms"
done

jar_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }
figures["jar none"]="0"; figures["jar redwing"]="$(jar_mb "$agent")"; figures["jar otel"]="$(jar_mb "$otel")"

rows=(
  "start|start-up to first response (ms, median of $(wc -w <<<"${figures["start none"]}"))"
  "cpu|CPU time per 1,000 requests (ms)"
  "cpu_settled|the same, JIT settled (ms)"
  "throughput|throughput at $CONNECTIONS connections (req/s)"
  "throughput_settled|the same, JIT settled (req/s)"
  "settle|JIT settled after (s of the moderate load)"
  "p50|p50 latency at a moderate rate (ms)"
  "p99|p99 latency at a moderate rate (ms)"
  "rss|resident memory after load (MB)"
  "alloc|heap allocated per request (KB)"
  "jar|agent jar (MB)"
)
{
  echo "| figure | no agent | Redwing | OpenTelemetry agent $otel_version | Redwing added | OpenTelemetry added |"
  echo "|---|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    key=${row%%|*}
    n=$(med "$key" none); w=$(med "$key" redwing); o=$(med "$key" otel)
    awk -v label="${row#*|}" -v n="$n" -v w="$w" -v o="$o" -v key="$key" 'BEGIN {
      if (key == "jar") { printf "| %s | | %s | %s | | |\n", label, w, o; exit }
      rw = n > 0 ? sprintf(" (x%.2f)", w / n) : ""; ro = n > 0 ? sprintf(" (x%.2f)", o / n) : ""
      printf "| %s | %s | %s%s | %s%s | %+.1f | %+.1f |\n", label, n, w, rw, o, ro, w - n, o - n }'
  done
} >"$work/table.md"

budget() { # label pass?
  printf '| %s | %s |\n' "$1" "$( (( $2 )) && echo met || echo "NOT met")"
}
added() { awk -v a="$(med "$1" "$2")" -v n="$(med "$1" none)" 'BEGIN {print a - n}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b) ? 1 : 0}'; }
samples() { tr ' ' '\n' <<<"${figures["$1 $2"]}" | grep -v '^$'; }
# The two budgets that a noisy machine moves most are judged round by round, Redwing against the
# runs beside it, so that drift between rounds cancels out; the verdict is the median of the rounds,
# and says how many rounds were within the budget when they do not all agree with it: a median
# just inside the budget with rounds far outside it is not a budget met.
budget_by_rounds() { # label per-round-values limit
  local within
  within=$(tr ' ' '\n' <<<"$2" | grep -v '^$' | awk -v l="$3" '$1 <= l {n++} END {print n + 0}')
  awk -v label="$1" -v pass="$(le "$(median <<<"$2")" "$3")" -v k="$within" -v n="$(wc -w <<<"$2")" 'BEGIN {
    verdict = pass ? "met" : "NOT met"
    if (k != (pass ? n : 0)) verdict = verdict sprintf(" (%d of %d rounds within it)", k, n)
    printf "| %s | %s |\n", label, verdict }'
}
share_per_round() { # figure -> Redwing's added / the OpenTelemetry agent's added, one per round
  paste -d' ' <(samples "$1" redwing) <(samples "$1" none) <(samples "$1" otel) |
    awk '{d = $3 - $2; printf "%.2f ", (d > 0 ? ($1 - $2) / d : 99)}'
}
ratio_per_round() { # figure -> Redwing / no agent, one per round
  paste -d' ' <(samples "$1" redwing) <(samples "$1" none) | awk '{printf "%.2f ", ($2 > 0 ? $1 / $2 : 99)}'
}
cpu_rounds=$(share_per_round cpu)
settled_rounds=$(share_per_round cpu_settled)
p99_rounds=$(ratio_per_round p99)
{
  echo
  echo "| budget (issue 9) | |"
  echo "|---|---|"
  budget "start-up added <= 1/4 of the OpenTelemetry agent's" "$(le "$(added start redwing)" "$(awk -v o="$(added start otel)" 'BEGIN {print o / 4}')")"
  budget_by_rounds "CPU per request added <= 1/2 of the OpenTelemetry agent's (per round: ${cpu_rounds% })" "$cpu_rounds" 0.5
  budget_by_rounds "the same with the JIT settled (per round: ${settled_rounds% })" "$settled_rounds" 0.5
  budget_by_rounds "p99 at the moderate rate within 5% of no agent (per round, Redwing / no agent: ${p99_rounds% })" "$p99_rounds" 1.05
  budget "resident memory added <= 1/2 of the OpenTelemetry agent's" "$(le "$(added rss redwing)" "$(awk -v o="$(added rss otel)" 'BEGIN {print o / 2}')")"
  budget "jar <= 1/2 of the OpenTelemetry agent's" "$(le "${figures["jar redwing"]}" "$(awk -v o="${figures["jar otel"]}" 'BEGIN {print o / 2}')")"
} >>"$work/table.md"

{
  echo "# Overhead benchmark results"
  echo
  echo "\`bench/overhead.sh\` on $(date -u +%Y-%m-%d): $("$JAVA" -version 2>&1 | head -1), $(nproc) cores" \
    "($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
    "application pinned to ${app_pin[*]:-no core}, wrk to ${load_pin[*]:-no core}."
  echo "$ROUNDS alternating rounds of ${DURATION}s load (after ${WARMUP}s warm-up) on \`$PATHS\` (database: $(demo_database));" \
    "moderate rate = $RATE_CONNECTIONS connections pausing ${DELAY_MS} ms between requests" \
    "(about $(med rate none) req/s), measured for ${RATE_DURATION}s once the JIT compilers used under" \
    "${SETTLE_PERCENT}% of a core in a ${SETTLE_WINDOW}s window of it (at most ${SETTLE_MAX}s);" \
    "-Xmx$HEAP. Medians; (xN) is the ratio to no agent in the same run."
  echo
  cat "$work/table.md"
} >"$RESULTS"
echo
cat "$work/table.md"
echo
echo "written to $RESULTS (raw wrk output and logs in $work)"

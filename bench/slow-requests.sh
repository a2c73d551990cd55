#!/usr/bin/env bash
# What the slowest requests at the moderate rate coincided with: compilations, GC pauses,
# safepoints and the agent's export. One run of the demo on the application's core, a saturating
# warm-up and a settle at the moderate rate, then DURATION seconds of the moderate rate from
# bench/SlowRequests.java (which keeps each request's start and latency) under a JFR recording.
# Prints p50/p99 and, for each kind of event, how much of the time it took and what share of all
# requests and of the slowest 1% overlapped one.
#
#   bench/slow-requests.sh none
#   bench/slow-requests.sh redwing
#
# Its latencies include a Java HTTP client's own, so they are not comparable with wrk's figures.
# Environment: WARMUP (30 s), SETTLE (120 s), DURATION (60 s), RATE_CONNECTIONS, DELAY_MS, PATHS,
# JAVA, HEAP as in overhead.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

(($# == 1)) || { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }
WARMUP=${WARMUP:-30}
SETTLE=${SETTLE:-120}
DURATION=${DURATION:-60}
. bench/common.sh
work=$root/bench/target/slow-requests
mkdir -p "$work"
demo=$root/examples/demo-app/target/redwing-demo-app.jar
set_agent_args "$1" "$root/agent-core/target/redwing-agent.jar"

core=$(($(nproc) - 1))
load_core=0-$((core > 0 ? core - 1 : 0))
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

taskset -c "$load_core" "$JAVA" bench/OtlpSink.java "$SINK_PORT" >"$work/sink.log" 2>&1 &
pids+=($!)
cat >"$work/events.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.GCPhasePause"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.SafepointBegin"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.SocketWrite"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting><setting name="stackTrace">false</setting></event>
</configuration>
JFC
# The recording starts with the JVM and only the measured window is read from it. Started later,
# it kept the compilers busy for 40% of the measured minute in a test run (JFR's own code and the
# JDK's socket classes instrumented for the socket events, then compiled), and a recording started
# later beside an empty one from the start saw none of the exporter's socket writes.
mapfile -t vars < <(demo_env "$SINK_PORT" 19464 18080)
env "${vars[@]}" taskset -c "$core" "$JAVA" -Xmx"$HEAP" -XX:StartFlightRecording=name=slow-requests,settings="$work/events.jfc" \
  "${agent_args[@]}" -jar "$demo" >"$work/$1.log" 2>&1 &
app=$!
pids+=($app)
until curl -fs -o /dev/null http://127.0.0.1:18080/owners/1; do
  kill -0 "$app" 2>/dev/null || { echo "slow-requests: the demo exited, see $work/$1.log" >&2; exit 1; }
  sleep 0.2
done
(while sleep 5; do taskset -c "$load_core" curl -s -o /dev/null http://127.0.0.1:19464/metrics || true; done) &
pids+=($!)

echo "==> $1 on core $core: ${WARMUP}s saturating, ${SETTLE}s and then ${DURATION}s measured at the moderate rate"
wrk_load() { # connections delay seconds
  PATHS=$PATHS DELAY_MS=$2 taskset -c "$load_core" wrk -t1 -c"$1" -d"$3"s -s bench/wrk/mix.lua \
    http://127.0.0.1:18080 >/dev/null
}
wrk_load "$CONNECTIONS" 0 "$WARMUP"
wrk_load "$RATE_CONNECTIONS" "$DELAY_MS" "$SETTLE"
taskset -c "$load_core" "$JAVA" bench/SlowRequests.java load http://127.0.0.1:18080 \
  "$RATE_CONNECTIONS" "$DELAY_MS" "$DURATION" "$PATHS" "$work/$1.csv"
jcmd "$app" JFR.stop name=slow-requests filename="$work/$1.jfr" >/dev/null
"$JAVA" bench/SlowRequests.java analyse "$work/$1.csv" "$work/$1.jfr" "$SINK_PORT"

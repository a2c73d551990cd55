#!/usr/bin/env bash
# Start-up cost of the agent: milliseconds from launching the demo to its first successful
# response, without and with the agent, alternating, ROUNDS times each; prints each start and the
# medians. Needs the built jars (./mvnw -DskipTests package -pl agent-core,examples/demo-app -am).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
JAVA=${JAVA:-java}
AGENT=agent-core/target/redwing-agent.jar
DEMO=examples/demo-app/target/redwing-demo-app.jar
PORT=${PORT:-18080}
METRICS_PORT=${METRICS_PORT:-19464}
[ -f "$AGENT" ] && [ -f "$DEMO" ] || { echo "build the agent and the demo first" >&2; exit 1; }

start_once() { # $1 = "none" | "redwing"; prints ms to first 200 from /hello
  local args=() t0 t1 pid
  if [ "$1" = redwing ]; then
    args=(-javaagent:"$AGENT")
  fi
  t0=$(date +%s%N)
  OTEL_TRACES_EXPORTER=none OTEL_EXPORTER_PROMETHEUS_PORT=$METRICS_PORT PORT=$PORT \
    "$JAVA" "${args[@]}" -jar "$DEMO" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/hello"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "demo exited" >&2; return 1; fi
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

none=(); redwing=()
for i in $(seq 1 "$ROUNDS"); do
  none+=("$(start_once none)")
  redwing+=("$(start_once redwing)")
  echo "round $i: no agent ${none[-1]} ms, redwing ${redwing[-1]} ms"
done
mn=$(printf '%s\n' "${none[@]}" | median)
mr=$(printf '%s\n' "${redwing[@]}" | median)
echo "median start to first response: no agent ${mn} ms, redwing ${mr} ms, added $(( ${mr%.*} - ${mn%.*} )) ms ($ROUNDS rounds, $("$JAVA" -version 2>&1 | head -1))"

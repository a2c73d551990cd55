#!/usr/bin/env bash
# Builds the Redwing agent and the demo application, runs the demo with the agent, sends some
# traffic and shows where to look. Runs until Ctrl-C.
#
#   ./examples/run-demo.sh             build, run, send traffic, keep running
#   ./examples/run-demo.sh --smoke     ... and exit after the traffic (used by RunDemoScriptIT)
#   ./examples/run-demo.sh --no-build  use the jars already built
#
# Environment: DEMO_PORT (8080), OTEL_EXPORTER_PROMETHEUS_PORT (9464), JAVA (java on the PATH),
# and any other OTEL_* / REDWING_* setting of the agent. Traces are off unless
# OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT point at a collector.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
smoke=false
build=true
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run-demo: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

java=${JAVA:-java}
demo_port=${DEMO_PORT:-8080}
metrics_port=${OTEL_EXPORTER_PROMETHEUS_PORT:-9464}
agent_jar=$root/agent-core/target/redwing-agent.jar
demo_jar=$root/examples/demo-app/target/redwing-demo-app.jar
log=${DEMO_LOG:-$root/examples/demo-app/target/run-demo.log}

command -v curl >/dev/null || { echo "run-demo: curl is needed" >&2; exit 1; }

if $build; then
  echo "==> Building the agent and the demo (./mvnw package, tests skipped)"
  ./mvnw -B -q -DskipTests -pl agent-core,examples/demo-app -am package
fi
for jar in "$agent_jar" "$demo_jar"; do
  [[ -f $jar ]] || { echo "run-demo: $jar is missing; run without --no-build" >&2; exit 1; }
done

for port in "$demo_port" "$metrics_port"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "run-demo: port $port is already in use (set DEMO_PORT / OTEL_EXPORTER_PROMETHEUS_PORT)" >&2
    exit 1
  fi
done

echo "==> Starting the demo on port $demo_port with -javaagent:$agent_jar (log: $log)"
mkdir -p "$(dirname "$log")"
PORT=$demo_port OTEL_EXPORTER_PROMETHEUS_PORT=$metrics_port \
  OTEL_TRACES_EXPORTER=${OTEL_TRACES_EXPORTER:-none} \
  "$java" -javaagent:"$agent_jar" -jar "$demo_jar" >"$log" 2>&1 &
demo_pid=$!

stop_demo() {
  if kill -0 "$demo_pid" 2>/dev/null; then
    kill "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
}
trap stop_demo EXIT
trap 'echo; echo "==> Stopping the demo"; exit 0' INT TERM

wait_for() { # url, what
  for _ in $(seq 1 600); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true) == 200 ]]; then
      return 0
    fi
    if ! kill -0 "$demo_pid" 2>/dev/null; then
      echo "run-demo: the demo exited; its log:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "run-demo: $2 not ready after 60 s; log: $log" >&2
  exit 1
}
wait_for "http://127.0.0.1:$metrics_port/ready" "the agent"
wait_for "http://127.0.0.1:$demo_port/hello" "the demo"

echo "==> Sending traffic"
app=http://127.0.0.1:$demo_port
for id in 1 2 3 4 5 6 7 8 9 10; do
  curl -s -o /dev/null "$app/owners/$id"
done
for _ in 1 2 3; do
  curl -s -o /dev/null "$app/hello"
  curl -s -o /dev/null "$app/error"
done
curl -s -o /dev/null "$app/async"
curl -s -o /dev/null "$app/slow?ms=250"
curl -s -o /dev/null -H 'X-Request-ID: run-demo-1' "$app/owners/42"
echo "    sent 10 x /owners/{id}, 4 x /hello, 3 x /error, /async, /slow, /owners/42"

metrics=http://localhost:$metrics_port
# The last request ends just after its response reached curl; poll until it is counted.
for _ in $(seq 1 100); do
  counted=$(curl -s "$metrics/metrics" | grep '^http_server_request_duration_seconds_count' |
    awk '{ s += $NF } END { print s + 0 }')
  [[ $counted -ge 20 ]] && break
  sleep 0.1
done

cat <<EOT

==> Redwing is recording the demo
    Demo application:   http://localhost:$demo_port/owners/1  /hello  /error  /slow?ms=500  /async
    Prometheus metrics: $metrics/metrics
    Agent health:       $metrics/health   readiness: $metrics/ready
    Demo + agent log:   $log

==> First lines of the scrape (http_server_*, redwing_*):
EOT
curl -s "$metrics/metrics" | grep -E '^(http_server_request_duration_seconds_count|http_server_active_requests|redwing_)' | head -20
echo
echo "==> /health: $(curl -s "$metrics/health")"

if $smoke; then
  echo "==> Smoke run done"
  exit 0
fi
echo
echo "==> The demo keeps running; press Ctrl-C to stop it"
wait "$demo_pid"

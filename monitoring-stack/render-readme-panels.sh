#!/usr/bin/env bash
# Makes the README's picture of dashboard panels (monitoring-stack/panels.png) from real data: the
# demo with the agent under a few minutes of mixed traffic (H2 through HikariCP, Redis, outbound
# HTTP, errors, slow requests), scraped by Debian's Prometheus, drawn by tests/render_panels.py.
# Needs the built jars (./mvnw -DskipTests package -pl agent-core,examples/demo-app -am),
# prometheus, Redis on 127.0.0.1:6379 and a python3 with matplotlib and PyYAML.
#   SECONDS_OF_TRAFFIC (180), OUT (monitoring-stack/panels.png)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${SECONDS_OF_TRAFFIC:-180}
out=${OUT:-monitoring-stack/panels.png}
work=$(mktemp -d)
app_port=18383 metrics_port=19483 prom_port=19093
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

PORT=$app_port OTEL_EXPORTER_PROMETHEUS_PORT=$metrics_port OTEL_TRACES_EXPORTER=none \
  OTEL_INSTRUMENTATION_METHODS_INCLUDE='io.redwing.demo.OwnerStore[name]' \
  java -javaagent:agent-core/target/redwing-agent.jar -jar examples/demo-app/target/redwing-demo-app.jar \
  >"$work/demo.log" 2>&1 &
pids+=($!)
cat >"$work/prometheus.yml" <<EOF
global: {scrape_interval: 2s, evaluation_interval: 2s}
scrape_configs:
  - job_name: redwing
    static_configs: [{targets: ['127.0.0.1:$metrics_port']}]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:$prom_port --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$app_port/hello"; do sleep 0.2; done

echo "traffic for $duration s"
end=$((SECONDS + duration))
i=0
while ((SECONDS < end)); do
  i=$((i + 1))
  paths=("/owners/$((i % 50 + 1))" "/owners/$((i % 7 + 1))" "/cache/$((i % 20))" "/outbound?to=/hello" "/hello")
  ((i % 5 == 0)) && paths+=(/error)
  ((i % 9 == 0)) && paths+=("/slow?ms=$((100 + i % 300))")
  ((i % 11 == 0)) && paths+=("/outbound?to=/owners/0")
  batch=()
  for path in "${paths[@]}"; do
    curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$app_port$path" &
    batch+=($!)
  done
  wait "${batch[@]}" || true
  sleep 0.05
done

python=python3
python3 -c "import matplotlib, yaml" 2>/dev/null || python=/usr/bin/python3
"$python" monitoring-stack/tests/render_panels.py "http://127.0.0.1:$prom_port" redwing \
  "127.0.0.1:$metrics_port" "$duration" "$out" \
  service-overview.json#2 service-overview.json#4 dependencies.json#4 dependencies.json#15

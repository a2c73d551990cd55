#!/usr/bin/env bash
# Starts a real Alertmanager with alertmanager/alertmanager.yml on a free loopback port, posts
# alerts with amtool and checks which ones the inhibit rules suppress. Run by check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
binary=$(command -v prometheus-alertmanager || command -v alertmanager) ||
  { echo "alertmanager missing: apt-get install prometheus-alertmanager" >&2; exit 1; }
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
work=$(mktemp -d)
"$binary" --config.file=alertmanager/alertmanager.yml --storage.path="$work" \
  --web.listen-address=127.0.0.1:"$port" --cluster.listen-address= >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fs "$url/-/ready" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done

add() { amtool --alertmanager.url="$url" alert add "$@"; }
add RedwingServiceDown job=redwing instance=demo:9464 severity=critical
add RedwingHighErrorRatio job=redwing severity=critical
add RedwingHeapPressure job=redwing instance=demo:9464 severity=warning
add RedwingHighErrorRatio job=orders severity=critical
add RedwingAvailabilityFastBurn job=orders slo=availability severity=critical
add RedwingAvailabilitySlowBurn job=orders slo=availability severity=warning
add RedwingLatencySlowBurn job=orders slo=latency severity=warning
add RedwingDbPoolNearSaturation job=orders instance=a:9464 db_client_connection_pool_name=main severity=warning
add RedwingDbPoolWaits job=orders instance=a:9464 db_client_connection_pool_name=main severity=warning
add RedwingDbPoolWaits job=orders instance=a:9464 db_client_connection_pool_name=reports severity=warning

expected='RedwingAvailabilityFastBurn orders active
RedwingAvailabilitySlowBurn orders suppressed
RedwingDbPoolNearSaturation orders active main
RedwingDbPoolWaits orders active reports
RedwingDbPoolWaits orders suppressed main
RedwingHeapPressure redwing suppressed
RedwingHighErrorRatio orders active
RedwingHighErrorRatio redwing suppressed
RedwingLatencySlowBurn orders active
RedwingServiceDown redwing active'
states() {
  curl -fs "$url/api/v2/alerts" | "$PYTHON" -c '
import json, sys
for a in json.load(sys.stdin):
    l = a["labels"]
    print(l["alertname"], l["job"], a["status"]["state"], l.get("db_client_connection_pool_name", "").strip())' | sed 's/ *$//' | sort
}
for _ in $(seq 1 50); do
  [[ $(states) == "$expected" ]] && break
  sleep 0.1
done
if [[ $(states) != "$expected" ]]; then
  echo "inhibition: expected" >&2
  echo "$expected" >&2
  echo "got" >&2
  states >&2
  exit 1
fi
echo "  inhibition: $(grep -c suppressed <<<"$expected") of $(wc -l <<<"$expected") alerts suppressed as expected"

#!/usr/bin/env bash
# Checks the monitoring stack with the real tools: promtool validates the Prometheus config and
# rules and runs the rule unit tests, amtool validates the Alertmanager config and its routing per
# severity, docker-compose validates the compose file, tests/check_stack.py checks what the tools
# do not (runbooks and test coverage of every rule, dashboard structure, pinned images, the
# Kubernetes example). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
for tool in promtool:prometheus amtool:prometheus-alertmanager curl:curl; do
  command -v "${tool%%:*}" >/dev/null || { echo "${tool%%:*} missing: apt-get install ${tool#*:}" >&2; exit 1; }
done
PYTHON=
for candidate in python3 /usr/bin/python3; do
  "$candidate" -c "import yaml" 2>/dev/null && { PYTHON=$candidate; break; }
done
[[ -n $PYTHON ]] || { echo "no python3 with PyYAML: apt-get install python3-yaml" >&2; exit 1; }
echo "monitoring-stack: promtool check config"
promtool check config --syntax-only prometheus/prometheus.yml prometheus/secured-agent.example.yml
echo "monitoring-stack: promtool check rules"
promtool check rules prometheus/rules/*.rules.yml
echo "monitoring-stack: promtool test rules"
promtool test rules prometheus/tests/*.test.yml

echo "monitoring-stack: amtool check-config"
amtool check-config alertmanager/alertmanager.yml
# Each severity reaches exactly its receivers; an unlabelled alert falls back to Slack.
route() { # expected-receivers labels...
  local expected=$1
  shift
  amtool config routes test --config.file=alertmanager/alertmanager.yml --verify.receivers="$expected" "$@" \
    2>/dev/null >/dev/null || { echo "route $* does not reach $expected" >&2; exit 1; }
  echo "  route $* -> $expected"
}
echo "monitoring-stack: amtool config routes test"
route pagerduty-critical,slack-critical severity=critical alertname=RedwingServiceDown
route slack-warnings severity=warning alertname=RedwingHighLatencyP95
route slack-info severity=info alertname=RedwingLowCacheHitRatio
route slack-warnings alertname=Unlabelled

echo "monitoring-stack: inhibit rules in a real Alertmanager"
PYTHON=$PYTHON tests/inhibition.sh

echo "monitoring-stack: docker-compose config (validates without a Docker engine)"
command -v docker-compose >/dev/null || { echo "docker-compose missing: apt-get install docker-compose" >&2; exit 1; }
docker-compose -f compose.yaml --env-file .env.example config --quiet
echo "  compose.yaml is valid with .env.example"

echo "monitoring-stack: structural checks"
"$PYTHON" tests/check_stack.py check

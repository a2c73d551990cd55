#!/usr/bin/env bash
# Checks the monitoring stack with the real tools: promtool validates the Prometheus config and
# rules and runs the rule unit tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
command -v promtool >/dev/null || { echo "promtool missing: apt-get install prometheus" >&2; exit 1; }
echo "monitoring-stack: promtool check config"
promtool check config --syntax-only prometheus/prometheus.yml
echo "monitoring-stack: promtool check rules"
promtool check rules prometheus/rules/*.rules.yml
echo "monitoring-stack: promtool test rules"
promtool test rules prometheus/tests/*.test.yml

#!/usr/bin/env bash
# Issue 9's CPU budget with the three runs side by side: no agent, Redwing and the OpenTelemetry
# agent started together on the application's one core and loaded at the same time, in ROUNDS
# rounds of fresh starts. overhead.sh runs them one after the other, and on a shared machine whose
# speed drifts (2.5x between runs a minute apart has been seen) Redwing's share of the
# OpenTelemetry agent's added CPU went from 0.09 to 0.81 between the rounds of one run. Loaded at
# the same time, a drift reaches all three alike. Each run gets about a third of the core, so these
# are figures to compare within a round, not absolute ones.
#
#   bench/cpu-share.sh
#   ROUNDS=1 WARMUP=2 DURATION=3 SETTLE_MAX=5 bench/cpu-share.sh      a quick smoke run
#
# Each round measures CPU per request of the mix under the saturating load twice, as overhead.sh
# does: with the JIT still compiling (DURATION s after WARMUP s), and once it has settled (after
# the moderate load ran in SETTLE_WINDOW-second windows until the compiler threads of every run
# used under SETTLE_PERCENT of a core in one, at most SETTLE_MAX s, then REWARM s saturating
# again). The moderate load takes few paths past C2's thresholds, so after a short REWARM the
# compilers are still at the saturating load's methods; a longer one (REWARM=240) measures closer
# to what a server reaches after minutes of load, and the table gives the compiler threads' share
# of each run's CPU in the settled window to tell how close. All three are scraped every 5 s.
# Prints each round's CPU microseconds per request and Redwing's added CPU as a share of the
# OpenTelemetry agent's (the budget: at most 0.5), then the medians, and writes them as markdown
# to RESULTS (bench/CPU-SHARE.md).
#
# Needs: the jars overhead.sh needs (the OpenTelemetry agent fetched by a run of it), wrk, curl.
# Environment: ROUNDS (5), WARMUP (10 s), REWARM (WARMUP), DURATION (20 s), SETTLE_WINDOW (5 s),
# SETTLE_PERCENT (5), SETTLE_MAX (240 s), CONNECTIONS (16 each), RATE_CONNECTIONS and DELAY_MS as
# in overhead.sh, PATHS, DEMO_JDBC_URL (as in overhead.sh), JAVA, HEAP (512m), RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date -u "+%Y-%m-%d %H:%M")
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-10}
REWARM=${REWARM:-$WARMUP}
DURATION=${DURATION:-20}
SETTLE_WINDOW=${SETTLE_WINDOW:-5}
SETTLE_PERCENT=${SETTLE_PERCENT:-5}
SETTLE_MAX=${SETTLE_MAX:-240}
RESULTS=${RESULTS:-bench/CPU-SHARE.md}
agent=$PWD/agent-core/target/redwing-agent.jar
demo=$PWD/examples/demo-app/target/redwing-demo-app.jar
. bench/common.sh
work=$PWD/bench/target/cpu-share
mkdir -p "$work"
modes=(none redwing otel)
sides="0 1 2"

side_by_side_setup

# Over a load of all three ("phase seconds [connections delay]"): a line of each side's CPU
# microseconds per request, then a line of its compiler threads' share of that CPU (how settled
# the window was).
measure() {
  local side before=() after=() jit_before=() jit_after=() requests
  for side in $sides; do before[side]=$(cpu_ticks "${app_pid[side]}") jit_before[side]=$(compiler_ticks "${app_pid[side]}"); done
  load_sides "$sides" "$2" "$1" "${@:3}"
  for side in $sides; do after[side]=$(cpu_ticks "${app_pid[side]}") jit_after[side]=$(compiler_ticks "${app_pid[side]}"); done
  for side in $sides; do
    no_errors "$(<"$work/$1-$side.txt")" "the ${modes[side]} run ($1)"
    requests=$(awk '/requests in/ {print $1}' "$work/$1-$side.txt")
    ((requests > 0)) || { echo "cpu-share: the ${modes[side]} run answered nothing in $2 s ($1); see $work/$1-$side.txt" >&2; exit 1; }
    awk -v t="$((after[side] - before[side]))" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.1f ", t * 1e6 / hz / n}'
  done
  echo
  for side in $sides; do
    awk -v j="$((jit_after[side] - jit_before[side]))" -v a="$((after[side] - before[side]))" 'BEGIN {printf "%.0f%% ", a ? j * 100 / a : 0}'
  done
}

settle() { # the moderate load until every run's compilers are nearly idle; prints the seconds
  local waited=0 side before=() after=() busy
  while ((waited < SETTLE_MAX)); do
    for side in $sides; do before[side]=$(compiler_ticks "${app_pid[side]}"); done
    load_sides "$sides" "$SETTLE_WINDOW" settle "$RATE_CONNECTIONS" "$DELAY_MS"
    waited=$((waited + SETTLE_WINDOW))
    busy=0
    for side in $sides; do
      after[side]=$(compiler_ticks "${app_pid[side]}")
      compilers_idle "$((after[side] - before[side]))" || busy=1
    done
    ((busy)) || { echo "$waited"; return; }
  done
  echo "cpu-share: the JIT had not settled in every run after ${SETTLE_MAX}s of the moderate load; measuring anyway" >&2
  echo "$waited"
}

share() { # none redwing otel (µs per request) -> Redwing's added CPU / the OpenTelemetry agent's
  awk -v n="$1" -v r="$2" -v o="$3" 'BEGIN {printf "%.2f", (r - n) / (o - n)}'
}

compiling_shares=() settled_shares=() rows=()
for ((round = 1; round <= ROUNDS; round++)); do
  for side in $sides; do start_side "$side" "${modes[side]}" "$agent"; done
  start_scraper "$sides"
  scraper=${pids[-1]}
  load_sides "$sides" "$WARMUP" warmup
  read -r -a compiling <<<"$(measure compiling "$DURATION")"
  settled_after=$(settle)
  load_sides "$sides" "$REWARM" rewarm
  { read -r -a settled; read -r -a jit; } <<<"$(measure settled "$DURATION")"
  kill "$scraper"; wait "$scraper" 2>/dev/null || true
  for side in $sides; do kill "${app_pid[side]}"; wait "${app_pid[side]}" 2>/dev/null || true; done

  compiling_shares+=("$(share "${compiling[@]}")")
  settled_shares+=("$(share "${settled[@]}")")
  rows+=("| $round | $(printf '%s | ' "${compiling[@]}")${compiling_shares[-1]} | $(printf '%s | ' "${settled[@]}")${settled_shares[-1]} | $settled_after | ${jit[*]} |")
  printf 'round %d  compiling: %s us/request, share %s   settled after %ss: %s us/request, share %s (compilers %s)\n' \
    "$round" "${compiling[*]}" "${compiling_shares[-1]}" "$settled_after" "${settled[*]}" "${settled_shares[-1]}" "${jit[*]}"
done

within() { tr ' ' '\n' | grep -v '^$' | awk '$1 <= 0.5 {n++} END {print n + 0}'; }
{
  echo "\`bench/cpu-share.sh\` started $started UTC: $("$JAVA" -version 2>&1 | head -1)," \
    "$(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)); the three runs side by side on core $core," \
    "wrk on $load_core. CPU µs per request of \`$PATHS\` (database: $(demo_database)), under $CONNECTIONS connections each," \
    "measured after ${WARMUP}s of that load (compiling) and after the moderate load then ${REWARM}s of it (settled);" \
    "share = (Redwing - no agent) / (OpenTelemetry agent - no agent), budget at most 0.5."
  echo
  echo "| round | compiling: no agent | Redwing | OpenTelemetry agent | share | settled: no agent | Redwing | OpenTelemetry agent | share | settled after (s) | compilers' share of the CPU, settled |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Median share with the JIT compiling: $(median <<<"${compiling_shares[*]}") ($(within <<<"${compiling_shares[*]}") of $ROUNDS rounds within the budget);" \
    "settled: $(median <<<"${settled_shares[*]}") ($(within <<<"${settled_shares[*]}") of $ROUNDS within)."
} | tee "$RESULTS"

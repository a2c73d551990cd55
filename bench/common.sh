# Sourced by the bench scripts, from the repository's root: what more than one of them needs.

# Defaults the comparisons share, each overridable from the environment: the request mix both
# overhead.sh and sidebyside.sh measure (one request of it is the unit of their CPU figures), the
# java and heap of the demo, the load's connections and the OTLP sink's port.
PATHS=${PATHS:-"/owners/{id} /owners/{id} /cache/{id} /outbound?to=/hello /hello"}
: "${JAVA:=java}" "${HEAP:=512m}" "${CONNECTIONS:=16}" "${SINK_PORT:=14318}"
# The moderate rate: RATE_CONNECTIONS connections, each pausing DELAY_MS between requests.
: "${RATE_CONNECTIONS:=4}" "${DELAY_MS:=20}"

# The OpenTelemetry Java agent the comparisons run against: pinned in the root pom, fetched by
# overhead.sh into bench/target/overhead.
otel_version=$(sed -n 's:.*<otel-javaagent.version>\(.*\)</otel-javaagent.version>.*:\1:p' pom.xml)
otel_jar=bench/target/overhead/opentelemetry-javaagent-$otel_version.jar

# "tid<TAB>name<TAB>ticks" for each thread of process $1 (utime + stime, in CLK_TCK units); the
# name is the 15-character native one and may hold spaces, digits and ')', so the fields are read
# after the last ") <state> ". Nothing for a process that has gone.
thread_ticks() {
  awk '{ name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Za-z] [^)]*$/, "", name)
         rest = $0; sub(/.*\) /, "", rest); split(rest, f, " ")
         print $1 "\t" name "\t" (f[12] + f[13]) }' /proc/"$1"/task/*/stat 2>/dev/null || true
}

# "tid<TAB>java name" for each Java thread of process $1, from jcmd (nid is hex before JDK 19,
# decimal after). /proc holds the name a thread gave itself when it started: one that a library
# started and the agent renamed afterwards (the OTLP exporter's JDK HTTP client threads, renamed
# redwing-*) still looks there like the application's own threads of the same library.
java_thread_names() {
  jcmd "$1" Thread.print 2>/dev/null |
    sed -n 's/^"\(.*\)" .* nid=\(0x[0-9a-fA-F]*\|[0-9]*\) .*/\2\t\1/p' |
    while IFS=$'\t' read -r nid name; do printf '%d\t%s\n' "$nid" "$name"; done
}

# The demo's database as the result headers name it: an in-memory H2 unless DEMO_JDBC_URL names
# another, shown without credentials or parameters. Latency depends on it: with H2 a request of the
# mix is CPU on the application's one core only, with a networked database it also waits on I/O.
demo_database() {
  if [[ -z ${DEMO_JDBC_URL:-} ]]; then echo "H2 in memory"; return; fi
  sed -e 's:\(//\)[^/@]*@:\1:' -e 's|:[^:/@]*/[^:/@]*@|:@|' -e 's:[?;].*::' <<<"$DEMO_JDBC_URL"
}

# The demo's environment in the overhead comparisons, as NAME=value lines: both agents export
# OTLP over HTTP to the sink on port $1 and serve Prometheus metrics on port $2; the demo listens
# on port $3.
demo_env() {
  printf '%s\n' OTEL_SERVICE_NAME=bench-demo OTEL_TRACES_EXPORTER=otlp \
    OTEL_METRICS_EXPORTER=prometheus OTEL_LOGS_EXPORTER=none \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$1" \
    OTEL_EXPORTER_PROMETHEUS_PORT="$2" PORT="$3"
}

# The run modes sidebyside.sh and slow-requests.sh take: sets the array agent_args to the
# -javaagent option of mode $1 (none, redwing with the jar $2, otel) and stops the script if it, or
# the demo's jar, is missing. Needs the repository's root as the working directory.
set_agent_args() { # mode redwing-jar
  case $1 in
    none) agent_args=() ;;
    redwing) agent_args=(-javaagent:"$2") ;;
    otel) agent_args=(-javaagent:"$PWD/$otel_jar") ;;
    *) echo "$(basename "$0" .sh): unknown mode $1 (none, redwing, otel)" >&2; exit 2 ;;
  esac
  local jar
  for jar in "$PWD/examples/demo-app/target/redwing-demo-app.jar" "${agent_args[@]#-javaagent:}"; do
    [[ -f $jar ]] || { echo "$(basename "$0" .sh): $jar is missing (see bench/overhead.sh)" >&2; exit 1; }
  done
}

to_ms() { # wrk's "1.23ms" / "845.00us" / "1.02s" -> milliseconds
  awk '{v = $1; if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else if (v ~ /s$/) print v * 1000; else print v}' <<<"$1"
}

latency_ms() { # percentile ("99%"), wrk --latency output -> that percentile in milliseconds
  to_ms "$(awk -v p="$1" '$1 == p {print $2}' <<<"$2")"
}

median() { # numbers on stdin, separated by spaces or newlines -> their median
  tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}

no_errors() { # wrk output, what ran: stops the script if any answer was not 2xx
  if grep -q 'Non-2xx' <<<"$1"; then
    echo "$(basename "$0" .sh): errors under load in $2:" >&2; echo "$1" >&2; exit 1
  fi
}

CLK_TCK=$(getconf CLK_TCK) # the unit of the CPU times in /proc

# CPU ticks (utime + stime, CLK_TCK units) of process $1, and of its JIT compiler threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
compiler_ticks() { # HotSpot names them C1/C2 CompilerThreadN
  thread_ticks "$1" | awk -F'\t' '$2 ~ /^C[12] CompilerThre/ {s += $3} END {print s + 0}'
}

# Whether the JIT counts as settled: its compilers used $1 ticks in a window of SETTLE_WINDOW s,
# under SETTLE_PERCENT of a core (overhead.sh, cpu-share.sh).
compilers_idle() {
  awk -v d="$1" -v hz="$CLK_TCK" -v w="$SETTLE_WINDOW" -v p="$SETTLE_PERCENT" 'BEGIN {exit !(d / hz / w * 100 < p)}'
}

# Runs side by side on the application's one core (sidebyside.sh, cpu-share.sh). Side N listens on
# 18181+N and serves metrics on 19465+N; its log and its wrk outputs go to $work. The caller sets
# work and demo, then calls side_by_side_setup.
app_pid=()

# Sets core (the application's: the last) and load_core (the others: wrk, the scraper's curl and
# the OTLP sink, which it starts on SINK_PORT, beside wrk as in overhead.sh), and kills what is in
# pids on exit.
side_by_side_setup() {
  core=$(($(nproc) - 1))
  load_core=0-$((core > 0 ? core - 1 : 0))
  pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
  taskset -c "$load_core" "$JAVA" "$PWD/bench/OtlpSink.java" "$SINK_PORT" >"$work/sink.log" 2>&1 &
  pids+=($!)
}

start_side() { # side spec redwing-jar: the demo run as spec (mode[:VAR=value ...]); returns once it answers
  local side=$1 extra=() vars
  [[ $2 == *:* ]] && read -r -a extra <<<"${2#*:}"
  mapfile -t vars < <(demo_env "$SINK_PORT" $((19465 + side)) $((18181 + side)))
  set_agent_args "${2%%:*}" "$3"
  env "${vars[@]}" "${extra[@]}" taskset -c "$core" "$JAVA" -Xmx"$HEAP" "${agent_args[@]}" -jar "$demo" >"$work/run-$side.log" 2>&1 &
  app_pid[side]=$!
  pids+=($!)
  until curl -fs -o /dev/null "http://127.0.0.1:$((18181 + side))/owners/1"; do
    kill -0 "${app_pid[side]}" 2>/dev/null || { echo "$(basename "$0" .sh): run $2 exited, see $work/run-$side.log" >&2; exit 1; }
    sleep 0.05
  done
}

# Scrapes the sides listed in $work/scraped every 5 s, as Prometheus would, from the load core; a
# script changes the list to scrape only the loaded side. The loop is killed with pids.
start_scraper() { # sides
  echo "$1" >"$work/scraped"
  (while sleep 5; do for side in $(cat "$work/scraped"); do taskset -c "$load_core" curl -s -o /dev/null "http://127.0.0.1:$((19465 + side))/metrics" || true; done; done) &
  pids+=($!)
}

load_side() { # side seconds phase [connections delay_ms]; wrk output in $work/<phase>-<side>.txt
  PATHS=$PATHS DELAY_MS=${5:-0} taskset -c "$load_core" wrk -t1 -c"${4:-$CONNECTIONS}" -d"$2"s --latency \
    -s "$PWD/bench/wrk/mix.lua" "http://127.0.0.1:$((18181 + $1))" >"$work/$3-$1.txt" 2>&1
}

load_sides() { # "sides" seconds phase [connections delay_ms]: those sides loaded at once
  local side waits=()
  for side in $1; do
    load_side "$side" "${@:2}" &
    waits+=($!)
  done
  wait "${waits[@]}"
}

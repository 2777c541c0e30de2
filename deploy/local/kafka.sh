#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) on 127.0.0.1:9092, run from the official jars on Maven Central.
#   deploy/local/kafka.sh up       fetch the jars if needed, format storage on first start, start, wait
#   deploy/local/kafka.sh down     stop the broker this script started (controlled shutdown)
#   deploy/local/kafka.sh status   say whether a broker answers on 127.0.0.1:9092
# Data and logs live in deploy/local/.runtime/kafka (git-ignored); `down` keeps them, `reset` wipes them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runtime="$here/.runtime/kafka"
libs="$runtime/libs"
data="$runtime/data"
logs="$runtime/logs"
pidfile="$runtime/kafka.pid"
host=127.0.0.1
port=9092
heap="${KAFKA_HEAP:--Xms256m -Xmx1g}"

log() { printf '[kafka] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

fetch_jars() {
  local stamp="$libs/.pom.sha256" want
  want="$(sha256sum "$here/kafka/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is needed to run Kafka"; exit 1; }
  log "resolving Apache Kafka jars from Maven Central (first run only)"
  rm -rf "$libs"
  mvn -q -B -f "$here/kafka/pom.xml" package >"$runtime.mvn.log" 2>&1 || { cat "$runtime.mvn.log" >&2; exit 1; }
  echo "$want" >"$stamp"
}

java_args() {
  # shellcheck disable=SC2086
  printf '%s\n' $heap -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$logs" "-Dlog4j2.configurationFile=$here/kafka/log4j2.properties" -cp "$libs/*"
}

java_cmd() {
  local args; mapfile -t args < <(java_args)
  java "${args[@]}" "$@"
}

format_storage() {
  if [ -f "$data/meta.properties" ]; then return 0; fi
  mkdir -p "$data" "$logs"
  sed "s#@DATA_DIR@#$data#" "$here/kafka/server.properties" >"$runtime/server.properties"
  local cluster_id
  cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  log "formatting storage for new cluster $cluster_id"
  java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$runtime/server.properties" >"$logs/format.log" 2>&1 \
    || { cat "$logs/format.log" >&2; exit 1; }
}

up() {
  mkdir -p "$runtime"
  if port_open "$port"; then log "a broker is already listening on $host:$port; reusing it"; return 0; fi
  fetch_jars
  format_storage
  sed "s#@DATA_DIR@#$data#" "$here/kafka/server.properties" >"$runtime/server.properties"
  log "starting broker (logs: $logs/server.log)"
  local args; mapfile -t args < <(java_args)
  nohup java "${args[@]}" kafka.Kafka "$runtime/server.properties" >"$logs/console.log" 2>&1 &
  echo $! >"$pidfile"
  local waited=0
  until port_open "$port"; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "broker exited during start-up:"; tail -n 30 "$logs/console.log" >&2; exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -ge 240 ]; then log "broker did not accept connections within 120 s"; exit 1; fi
  done
  log "broker accepting connections on $host:$port"
}

down() {
  if [ ! -f "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    rm -f "$pidfile"; log "no broker started by this script is running"; return 0
  fi
  local pid; pid="$(cat "$pidfile")"
  log "stopping broker (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "broker did not stop in 60 s; killing it"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
}

status() {
  if port_open "$port"; then log "up on $host:$port"; else log "down"; return 1; fi
}

reset() { down; rm -rf "$data" "$logs"; log "data and logs removed"; }

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) reset ;;
  *) echo "usage: $0 up|down|status|reset" >&2; exit 2 ;;
esac

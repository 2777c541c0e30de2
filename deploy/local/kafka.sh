#!/usr/bin/env bash
# Apache Kafka (KRaft) from the official jars on Maven Central: one node on 127.0.0.1:9092, or a cluster of three.
#   deploy/local/kafka.sh up       fetch the jars if needed, format storage on first start, start, wait
#   deploy/local/kafka.sh down     stop the broker this script started (controlled shutdown)
#   deploy/local/kafka.sh status   say whether a broker answers on 127.0.0.1:9092
#   deploy/local/kafka.sh reset    stop it and wipe its data
# A three-node cluster (brokers on 127.0.0.1:19092,19093,19094; KAFKA_BROKERS=127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094):
#   deploy/local/kafka.sh cluster up|down|status|reset
#   deploy/local/kafka.sh cluster kill N      kill -9 node N (1-3), as a crash would
#   deploy/local/kafka.sh cluster start N     start node N again
# Data and logs live in deploy/local/.runtime/kafka and .runtime/kafka-cluster (git-ignored); `down` keeps them.
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

# --- the three-node cluster -------------------------------------------------------------------------------
cluster_runtime="$here/.runtime/kafka-cluster"
cluster_heap="${KAFKA_CLUSTER_HEAP:--Xms192m -Xmx512m}"
node_port() { echo $((19091 + $1)); }
node_controller_port() { echo $((29091 + $1)); }
node_dir() { echo "$cluster_runtime/node$1"; }
node_pid() { cat "$(node_dir "$1")/kafka.pid" 2>/dev/null || true; }

node_config() {
  local n=$1 dir; dir="$(node_dir "$n")"
  mkdir -p "$dir/data" "$dir/logs"
  sed -e "s#@NODE_ID@#$n#" -e "s#@PORT@#$(node_port "$n")#" -e "s#@CONTROLLER_PORT@#$(node_controller_port "$n")#" \
    -e "s#@DATA_DIR@#$dir/data#" "$here/kafka/cluster-server.properties" >"$dir/server.properties"
}

cluster_format() {
  local cluster_id=""
  for n in 1 2 3; do
    node_config "$n"
    if [ -f "$(node_dir "$n")/data/meta.properties" ]; then continue; fi
    if [ -z "$cluster_id" ]; then
      cluster_id="$(cat "$cluster_runtime/cluster.id" 2>/dev/null || java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
      echo "$cluster_id" >"$cluster_runtime/cluster.id"
      log "formatting storage for cluster $cluster_id"
    fi
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$(node_dir "$n")/server.properties" \
      >"$(node_dir "$n")/logs/format.log" 2>&1 || { cat "$(node_dir "$n")/logs/format.log" >&2; exit 1; }
  done
}

node_start() {
  local n=$1 dir pid; dir="$(node_dir "$n")"; pid="$(node_pid "$n")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  node_config "$n"
  local args
  # shellcheck disable=SC2086
  mapfile -t args < <(printf '%s\n' $cluster_heap -XX:+UseG1GC -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$dir/logs" "-Dlog4j2.configurationFile=$here/kafka/log4j2.properties" -cp "$libs/*")
  nohup java "${args[@]}" kafka.Kafka "$dir/server.properties" >"$dir/logs/console.log" 2>&1 &
  echo $! >"$dir/kafka.pid"
  log "node $n starting on 127.0.0.1:$(node_port "$n")"
}

node_wait() {
  local n=$1 waited=0
  until port_open "$(node_port "$n")"; do
    if ! kill -0 "$(node_pid "$n")" 2>/dev/null; then
      log "node $n exited during start-up:"; tail -n 30 "$(node_dir "$n")/logs/console.log" >&2; exit 1
    fi
    sleep 0.5; waited=$((waited + 1))
    if [ "$waited" -ge 240 ]; then log "node $n did not accept connections within 120 s"; exit 1; fi
  done
}

node_stop() {
  local n=$1 signal=$2 pid; pid="$(node_pid "$n")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$(node_dir "$n")/kafka.pid"; return 0; fi
  kill "-$signal" "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$(node_dir "$n")/kafka.pid"
}

cluster() {
  local action="${1:-}" n="${2:-}"
  mkdir -p "$cluster_runtime"
  case "$action" in
    up)
      fetch_jars; cluster_format
      for n in 1 2 3; do node_start "$n"; done
      for n in 1 2 3; do node_wait "$n"; done
      log "cluster accepting connections on 127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094" ;;
    down) for n in 3 2 1; do node_stop "$n" TERM; done; log "cluster stopped" ;;
    kill)
      [[ "$n" =~ ^[123]$ ]] || { echo "usage: $0 cluster kill 1|2|3" >&2; exit 2; }
      node_stop "$n" KILL; log "node $n killed" ;;
    start)
      [[ "$n" =~ ^[123]$ ]] || { echo "usage: $0 cluster start 1|2|3" >&2; exit 2; }
      node_start "$n"; node_wait "$n" ;;
    status)
      local up=0
      for n in 1 2 3; do
        if port_open "$(node_port "$n")"; then up=$((up + 1)); log "node $n up on 127.0.0.1:$(node_port "$n")"; else log "node $n down"; fi
      done
      [ "$up" -eq 3 ] ;;
    reset) for n in 3 2 1; do node_stop "$n" KILL; done; rm -rf "$cluster_runtime"; log "cluster data removed" ;;
    *) echo "usage: $0 cluster up|down|status|reset|kill N|start N" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) reset ;;
  cluster) shift; cluster "$@" ;;
  *) echo "usage: $0 up|down|status|reset|cluster ..." >&2; exit 2 ;;
esac

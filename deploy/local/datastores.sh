#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, starting them if they are down.
# Uses the machine's own installations (Debian packages); it never installs or reconfigures them.
set -euo pipefail

log() { printf '[datastores] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do port_open "$port" && return 0; sleep 0.5; done
  log "$name did not come up on 127.0.0.1:$port"; exit 1
}

if port_open 5432; then
  log "PostgreSQL answers on 127.0.0.1:5432"
else
  log "PostgreSQL is down; starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  elif command -v systemctl >/dev/null; then
    systemctl start postgresql
  else
    log "cannot start PostgreSQL here: start it yourself, listening on 127.0.0.1:5432 with trust or password auth"; exit 1
  fi
  wait_port 5432 PostgreSQL
fi

if port_open 6379; then
  log "Redis answers on 127.0.0.1:6379"
else
  log "Redis is down; starting it"
  command -v redis-server >/dev/null || { log "redis-server is not installed"; exit 1; }
  mkdir -p /tmp/liaison-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/liaison-redis \
    --logfile /tmp/liaison-redis/redis.log
  wait_port 6379 Redis
fi

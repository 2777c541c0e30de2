#!/usr/bin/env bash
# Keycloak on 127.0.0.1:8180 (realm `liaison`), run from the server distribution on Maven Central.
#   deploy/local/keycloak.sh up       fetch the distribution if needed, write the realm, start, wait until it answers
#   deploy/local/keycloak.sh down     stop the server this script started
#   deploy/local/keycloak.sh status   say whether it answers, and how to sign in (the demo people and passwords)
#   deploy/local/keycloak.sh reset    stop it and forget its data and secrets
# Runs on Java 25 where a Temurin 25 JDK is installed, on Java 17 otherwise. Data, logs and the generated secrets
# live in deploy/local/.runtime/keycloak (git-ignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runtime="$here/.runtime/keycloak"
version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$here/keycloak/pom.xml")"
home="$runtime/dist/keycloak-$version"
pidfile="$runtime/keycloak.pid"
secrets="$runtime/secrets.json"
host=127.0.0.1
port="${KEYCLOAK_PORT:-8180}"
management_port="${KEYCLOAK_MANAGEMENT_PORT:-9100}"

log() { printf '[keycloak] %s\n' "$*" >&2; }

answers() { curl -fsS -o /dev/null "http://$host:$port/realms/liaison/.well-known/openid-configuration" 2>/dev/null; }

java_home() {
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-17-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then printf '%s\n' "$candidate"; return 0; fi
  done
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

fetch() {
  local stamp="$runtime/.pom.sha256" want
  want="$(sha256sum "$here/keycloak/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$home/bin/kc.sh" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch Keycloak"; exit 1; }
  log "fetching Keycloak $version from Maven Central (first run only)"
  rm -rf "$runtime/dist"
  mvn -q -B -f "$here/keycloak/pom.xml" package >"$runtime/mvn.log" 2>&1 || { cat "$runtime/mvn.log" >&2; exit 1; }
  echo "$want" >"$stamp"
}

up() {
  mkdir -p "$runtime"
  if answers; then
    if [ ! -f "$secrets" ]; then
      log "a Keycloak started from another checkout answers on http://$host:$port, and its secrets are not here;"
      log "stop it there (deploy/local/keycloak.sh down), or run this one on another port (KEYCLOAK_PORT, KEYCLOAK_MANAGEMENT_PORT)"
      exit 1
    fi
    log "Keycloak already answers on http://$host:$port; reusing it"
    return 0
  fi
  fetch
  mkdir -p "$home/data/import"
  node "$here/keycloak/realm.mjs" "$secrets" "$home/data/import/liaison-realm.json"
  local jh admin_password
  jh="$(java_home)"
  admin_password="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).adminPassword)' "$secrets")"
  log "starting Keycloak $version on Java $("$jh/bin/java" -version 2>&1 | head -n 1 | cut -d'"' -f2)"
  (
    export JAVA_HOME="$jh" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_password"
    export JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP:--Xms256m -Xmx768m}"
    nohup "$home/bin/kc.sh" start-dev --import-realm --http-host="$host" --http-port="$port" \
      --http-management-port="$management_port" --health-enabled=true >"$runtime/keycloak.log" 2>&1 &
    echo $! >"$pidfile"
  )
  for _ in $(seq 1 180); do
    if answers; then log "Keycloak answers on http://$host:$port (realm liaison)"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then tail -n 40 "$runtime/keycloak.log" >&2; log "Keycloak stopped"; exit 1; fi
    sleep 1
  done
  tail -n 40 "$runtime/keycloak.log" >&2
  log "Keycloak did not answer within 180 s"
  exit 1
}

down() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid; pid="$(cat "$pidfile")"
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    log "stopped"
  fi
  rm -f "$pidfile"
}

status() {
  if ! answers; then log "not answering on http://$host:$port"; return 1; fi
  log "answers on http://$host:$port; admin console http://$host:$port/admin (user admin)"
  if [ -f "$secrets" ]; then
    node -e '
      const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log("[keycloak] demo people (each sets up an authenticator app at first sign-in):");
      for (const [user, password] of Object.entries(s.passwords)) console.log(`  ${user.padEnd(18)} ${password}`);
    ' "$secrets"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) down; rm -rf "$home/data" "$secrets"; log "data and secrets removed" ;;
  *) echo "usage: $0 up|down|status|reset" >&2; exit 2 ;;
esac

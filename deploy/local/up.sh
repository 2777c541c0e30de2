#!/usr/bin/env bash
# Brings up the infrastructure Liaison needs on this machine: PostgreSQL and Redis (started if down) and a
# single-node Apache Kafka broker (started from Maven Central jars if not already running).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/datastores.sh"
"$here/kafka.sh" up

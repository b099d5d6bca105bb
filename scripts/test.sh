#!/usr/bin/env bash
# Runs the whole test suite against a real Neo4j server.
#
# NEO4J_URI set: the tests use that server (NEO4J_PASSWORD etc. as set).
# NEO4J_URI unset: a throw-away local server (scripts/neo4j-local, instance .neo4j/test) is
# started with a fresh database and NEO4J_PASSWORD (generated when unset), and is always
# stopped afterwards. Exit status: pytest's.
# Under CI=true a server that cannot be started fails the run (Neo4j tests never skip there).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${NEO4J_URI:-}" ]; then
    export NEO4J_LOCAL_HOME="${NEO4J_LOCAL_HOME:-.neo4j/test}"
    if [ -z "${NEO4J_PASSWORD:-}" ]; then
        NEO4J_PASSWORD="test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    fi
    export NEO4J_PASSWORD
    export NEO4J_URI="bolt://127.0.0.1:${NEO4J_BOLT_PORT:-7687}"
    export NEO4J_USERNAME=neo4j

    # A fresh database each run: its password is the one exported above.
    scripts/neo4j-local stop >/dev/null 2>&1 || true
    rm -rf "$NEO4J_LOCAL_HOME/data" "$NEO4J_LOCAL_HOME/run"
    stop_server() {
        scripts/neo4j-local stop || true
        rm -rf "$NEO4J_LOCAL_HOME/data"
    }
    trap stop_server EXIT
    if ! scripts/neo4j-local start; then
        if [ "${CI:-}" = "true" ]; then
            echo "test.sh: error: the local Neo4j server could not be started (see the lines above and $NEO4J_LOCAL_HOME/logs); CI needs it: the Neo4j tests must not be skipped" >&2
            exit 1
        fi
        echo "test.sh: warning: no local Neo4j server: the Neo4j tests will be skipped" >&2
    fi
fi

status=0
.venv/bin/python -m pytest -q "$@" || status=$?
exit "$status"

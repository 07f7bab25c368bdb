#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and local trials: initdb in a fresh temporary folder,
# started with pg_ctl on 127.0.0.1 (a free port, or $PGPORT), trust authentication for the
# local user `agentkit`, no Docker.  PostgreSQL refuses to run as root: as root the server runs
# as the `postgres` user that Debian's package creates.
#
#   scripts/postgres-server.sh start   # prints the folder and, on the last line, the DSN
#   scripts/postgres-server.sh stop FOLDER
#
# .ci/run starts one and exports AGENTKIT_TEST_DATABASE_URL; the PostgreSQL variants of the run
# tests read it (and skip, saying why, when it is not set).
set -euo pipefail

bindir() {
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$found" ]; then
        echo "postgres-server.sh: no PostgreSQL binaries found; install them: apt-get install postgresql" >&2
        exit 1
    fi
    echo "$found"
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    BIN=$(bindir)
    folder=$(mktemp -d /tmp/agentkit-pg.XXXXXX)
    chmod 755 "$folder"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$folder"; fi
    port=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    as_server_user "$BIN/initdb" -D "$folder/data" -U agentkit -A trust -E UTF8 --no-sync >"$folder/initdb.log" 2>&1 || {
        cat "$folder/initdb.log" >&2; exit 1; }
    # fsync off: a test server's data is thrown away (the benchmark starts its own with fsync on)
    as_server_user "$BIN/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $folder -c fsync=${PG_FSYNC:-off} -c max_connections=200" start >/dev/null || {
        cat "$folder/server.log" >&2; exit 1; }
    echo "$folder"
    echo "postgresql://agentkit@127.0.0.1:$port/postgres"
    ;;
stop)
    folder=${2:?usage: postgres-server.sh stop FOLDER}
    BIN=$(bindir)
    as_server_user "$BIN/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$folder"
    ;;
*)
    echo "usage: $0 start | stop FOLDER" >&2
    exit 2
    ;;
esac

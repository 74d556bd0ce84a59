#!/usr/bin/env bash
# Make sure a PostgreSQL server for the tests is running on loopback, and print its URL.
#
#   url=$(bash scripts/ensure-postgres.sh) && ACEINT_TEST_POSTGRES_URL="$url" pytest ...
#
# stdout carries exactly one line, the SQLAlchemy URL; progress goes to stderr.
# - If $ACEINT_TEST_POSTGRES_URL is set and answers, nothing is done (quick second run).
# - Otherwise a private cluster is used (created on first run): data in $ACEINT_TEST_POSTGRES_DIR
#   (default /tmp/aceint-test-postgres), owned by the postgres user, listening on 127.0.0.1 only at
#   $ACEINT_TEST_POSTGRES_PORT (default 54329; fixed so the URL is stable across runs), trust
#   authentication on loopback (a throwaway test cluster, never real data), fsync off for speed.
#   Default URL: postgresql+psycopg://aceint@127.0.0.1:54329/aceint_test
# - Debian's postgresql is installed with apt-get when no server binaries are found (needs root).
# Safe to run concurrently (flock) and repeatedly (idempotent).
set -euo pipefail

log() { echo "ensure-postgres: $*" >&2; }

PORT="${ACEINT_TEST_POSTGRES_PORT:-54329}"
DATA_DIR="${ACEINT_TEST_POSTGRES_DIR:-/tmp/aceint-test-postgres}"
DB_USER=aceint
DB_NAME=aceint_test
DEFAULT_URL="postgresql+psycopg://${DB_USER}@127.0.0.1:${PORT}/${DB_NAME}"
URL="${ACEINT_TEST_POSTGRES_URL:-$DEFAULT_URL}"

# psql speaks libpq URLs: drop SQLAlchemy's "+driver" part.
libpq_url() { printf '%s' "$1" | sed -E 's#^postgres(ql)?\+[a-z0-9_]+://#postgresql://#'; }

answers() {
    command -v psql >/dev/null 2>&1 || return 1
    PGCONNECT_TIMEOUT=3 psql "$(libpq_url "$1")" -qtAc 'select 1' >/dev/null 2>&1
}

if answers "$URL"; then
    log "server at the configured URL answers; nothing to do"
    echo "$URL"
    exit 0
fi

if [[ -n "${ACEINT_TEST_POSTGRES_URL:-}" && "$URL" != "$DEFAULT_URL" ]]; then
    log "ACEINT_TEST_POSTGRES_URL is set to a server that does not answer; start it, or unset the"
    log "variable to let this script run its own cluster on 127.0.0.1:${PORT}"
    exit 1
fi

exec 9>"/tmp/aceint-test-postgres-${PORT}.lock"
flock 9

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        echo "$dir"
    fi
}

BIN_DIR=$(find_bindir)
if [[ -z "$BIN_DIR" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
        log "PostgreSQL is not installed and installing it needs root: apt-get install -y postgresql"
        exit 1
    fi
    log "installing Debian's postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN_DIR=$(find_bindir)
    [[ -n "$BIN_DIR" ]] || { log "postgresql installed but no server binaries under /usr/lib/postgresql"; exit 1; }
fi

# The server refuses to run as root: the cluster belongs to the postgres user when we are root.
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { log "no 'postgres' user (the postgresql package creates it)"; exit 1; }
    as_owner() { runuser -u postgres -- "$@"; }
    OWNER=postgres
else
    as_owner() { "$@"; }
    OWNER=$(id -un)
fi

if [[ ! -s "$DATA_DIR/PG_VERSION" ]]; then
    log "creating a private cluster in $DATA_DIR"
    rm -rf "$DATA_DIR"
    mkdir -p "$DATA_DIR"
    chown "$OWNER" "$DATA_DIR"
    chmod 700 "$DATA_DIR"
    as_owner "$BIN_DIR/initdb" -D "$DATA_DIR" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi

if ! as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:${PORT}"
    as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p ${PORT} -c unix_socket_directories='${DATA_DIR}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { log "server did not start; see $DATA_DIR/server.log"; tail -n 20 "$DATA_DIR/server.log" >&2 || true; exit 1; }
fi

ADMIN_URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"
psql_admin() { PGCONNECT_TIMEOUT=5 psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ -z "$(psql_admin -c "select 1 from pg_roles where rolname = '${DB_USER}'")" ]]; then
    psql_admin -c "create role ${DB_USER} login" >/dev/null
fi
if [[ -z "$(psql_admin -c "select 1 from pg_database where datname = '${DB_NAME}'")" ]]; then
    psql_admin -c "create database ${DB_NAME} owner ${DB_USER}" >/dev/null
fi

answers "$DEFAULT_URL" || { log "server started but $DEFAULT_URL does not answer"; exit 1; }
log "ready: $DEFAULT_URL"
echo "$DEFAULT_URL"

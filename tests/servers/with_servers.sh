#!/usr/bin/env bash
# Runs a command with throwaway PostgreSQL and MariaDB servers: starts both on 127.0.0.1 with
# their data in a fresh temporary directory, exports their URLs, runs the command, then stops the
# servers and removes the directory. Fails when a server cannot be started.
#
#   with_servers.sh <command> [args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export ATHANOR_SERVER_DIR
ATHANOR_SERVER_DIR=$(mktemp -d /tmp/athanor-servers.XXXXXX)
chmod 755 "$ATHANOR_SERVER_DIR"

cleanup() {
  "$here/server.sh" stop postgresql || true
  "$here/server.sh" stop mariadb || true
  rm -rf "$ATHANOR_SERVER_DIR"
}
trap cleanup EXIT

echo "== starting PostgreSQL 15 and MariaDB on 127.0.0.1 in $ATHANOR_SERVER_DIR"
if ! ATHANOR_TEST_URL_POSTGRESQL=$("$here/server.sh" start postgresql); then
  echo "FATAL: the PostgreSQL test server could not be started" >&2
  exit 1
fi
if ! ATHANOR_TEST_URL_MARIADB=$("$here/server.sh" start mariadb); then
  echo "FATAL: the MariaDB test server could not be started" >&2
  exit 1
fi
export ATHANOR_TEST_URL_POSTGRESQL ATHANOR_TEST_URL_MARIADB
export ATHANOR_TEST_SERVER_CTL="$here/server.sh"
echo "   postgresql: $("$here/server.sh" url postgresql | sed 's/:[^:@]*@/:***@/')"
echo "   mariadb:    $("$here/server.sh" url mariadb | sed 's/:[^:@]*@/:***@/')"
"$@"

#!/usr/bin/env bash
# Starts and stops throwaway database servers for the test suite, on 127.0.0.1, with their data in
# a temporary directory ($ATHANOR_SERVER_DIR). Nothing outside that directory is touched.
#
#   server.sh start|stop|restart|url postgresql|mariadb
#
# `start` prints the URL to connect with. Ports: $ATHANOR_PG_PORT (54329), $ATHANOR_MARIADB_PORT
# (33069). Runs as root (initdb/postgres then run as the `postgres` user) or as a normal user.
set -euo pipefail

action=${1:?usage: server.sh start|stop|restart|url postgresql|mariadb}
backend=${2:?usage: server.sh start|stop|restart|url postgresql|mariadb}
base=${ATHANOR_SERVER_DIR:-/tmp/athanor-servers}
pg_port=${ATHANOR_PG_PORT:-54329}
my_port=${ATHANOR_MARIADB_PORT:-33069}
password=athanor_pw
pg_bin=/usr/lib/postgresql/15/bin

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_url() { echo "postgresql://athanor:${password}@127.0.0.1:${pg_port}/athanor_test"; }
my_url() { echo "mariadb://athanor:${password}@127.0.0.1:${my_port}/athanor_test"; }

pg_start() {
  local dir=$base/postgresql
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    local pwfile=$dir/pwfile
    echo "$password" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_pg "$pg_bin/initdb" -D "$dir/data" -U athanor --pwfile="$pwfile" --auth=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
  if ! PGPASSWORD=$password psql -h 127.0.0.1 -p "$pg_port" -U athanor -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='athanor_test'" | grep -q 1; then
    PGPASSWORD=$password psql -h 127.0.0.1 -p "$pg_port" -U athanor -d postgres -qc \
      "CREATE DATABASE athanor_test" >/dev/null
  fi
  pg_url
}

pg_stop() {
  local dir=$base/postgresql
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  return 0
}

my_start() {
  local dir=$base/mariadb
  mkdir -p "$dir"
  local user_opt=()
  [ "$(id -u)" = 0 ] && user_opt=(--user=root)
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
    local fresh=1
  fi
  mariadbd --no-defaults "${user_opt[@]}" --datadir="$dir/data" --port="$my_port" --bind-address=127.0.0.1 \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/server.log" \
    --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=128M \
    --innodb-log-file-size=64M --max-connections=300 --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_bin >/dev/null 2>&1 &
  for _ in $(seq 1 150); do
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 ||
    { tail -20 "$dir/server.log" >&2; exit 1; }
  if [ "${fresh:-0}" = 1 ]; then
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
      CREATE DATABASE IF NOT EXISTS athanor_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
      CREATE USER IF NOT EXISTS 'athanor'@'127.0.0.1' IDENTIFIED BY '${password}';
      CREATE USER IF NOT EXISTS 'athanor'@'localhost' IDENTIFIED BY '${password}';
      GRANT ALL PRIVILEGES ON *.* TO 'athanor'@'127.0.0.1';
      GRANT ALL PRIVILEGES ON *.* TO 'athanor'@'localhost';"
  fi
  my_url
}

my_stop() {
  local dir=$base/mariadb
  [ -f "$dir/mysqld.pid" ] || return 0
  local pid
  pid=$(cat "$dir/mysqld.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  rm -f "$dir/mysqld.pid"
}

case "$backend" in
  postgresql|postgres) start=pg_start stop=pg_stop url=pg_url ;;
  mariadb|mysql) start=my_start stop=my_stop url=my_url ;;
  *) echo "server.sh: unknown backend '$backend'" >&2; exit 2 ;;
esac
case "$action" in
  start) $start ;;
  stop) $stop ;;
  restart) $stop; $start ;;
  url) $url ;;
  *) echo "server.sh: unknown action '$action'" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The whole suite on SQLite and on a throw-away PostgreSQL cluster, the two passes side by side (they share
# nothing: each has its own data directory and database; every port a test opens is picked free). Real services
# only: PostgreSQL (started here), SMTP (aiosmtpd) and HTTP receivers (started by the tests), Tesseract,
# Chromium, a local LLM server (started by the LLM tests). Extra arguments go to pytest.
#
# Why side by side: the suite is CPU-bound (about 17 CPU-minutes) and one pytest process uses one core; two
# passes on two cores keep `make test` well under 20 minutes. The PostgreSQL pass's output is printed when it
# ends, after the SQLite pass's live output.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
work=$(mktemp -d /tmp/etabli-test.XXXXXX)
chmod 755 "$work"
start=$(date +%s)

# Engines are pure Python (no database): they run once, in the SQLite pass. Everything that touches the
# database runs on both.
pg_args=("$@")
if [ $# -eq 0 ]; then pg_args=(tests/apps tests/e2e); fi
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_status=0
if url=$(scripts/pg.sh start "$work/pg" "$port"); then
  trap 'scripts/pg.sh stop "$work/pg"' EXIT
  DATABASE_URL="$url" ETABLI_DATA_DIR="$work/postgres" "$PY" -m pytest -p no:cacheprovider "${pg_args[@]}" \
    > "$work/postgres.log" 2>&1 &
  pg_pid=$!
else
  echo "Erreur : impossible de démarrer PostgreSQL." >&2
  pg_pid=""
  pg_status=1
fi

echo "=== Tests sur SQLite ==="
ETABLI_DATA_DIR="$work/sqlite" "$PY" -m pytest -p no:cacheprovider "$@"
sqlite_status=$?

if [ -n "$pg_pid" ]; then
  wait "$pg_pid"
  pg_status=$?
  echo "=== Tests sur PostgreSQL (applications, navigateur) ==="
  cat "$work/postgres.log"
fi
echo "SQLite : $([ $sqlite_status -eq 0 ] && echo réussi || echo ÉCHEC) ; PostgreSQL : $([ $pg_status -eq 0 ] && echo réussi || echo ÉCHEC)"
echo "Durée totale des tests : $(( $(date +%s) - start )) s"
[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]

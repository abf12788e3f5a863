#!/usr/bin/env bash
# The whole suite, twice: on SQLite, then on a throw-away PostgreSQL cluster. Real services only:
# PostgreSQL (started here), SMTP (aiosmtpd) and HTTP receivers (started by the tests), Tesseract, Chromium,
# a local LLM server (started by the LLM tests). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=tests.settings PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
work=$(mktemp -d /tmp/etabli-test.XXXXXX)
chmod 755 "$work"
status=0
start=$(date +%s)

echo "=== Tests sur SQLite ==="
ETABLI_DATA_DIR="$work/sqlite" "$PY" -m pytest -p no:cacheprovider "$@" || status=1

# Engines are pure Python (no database): they run once, above. Everything that touches the database runs
# again on PostgreSQL.
echo "=== Tests sur PostgreSQL (applications, navigateur) ==="
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if url=$(scripts/pg.sh start "$work/pg" "$port"); then
  trap 'scripts/pg.sh stop "$work/pg"' EXIT
  if [ $# -eq 0 ]; then set -- tests/apps tests/e2e; fi
  DATABASE_URL="$url" ETABLI_DATA_DIR="$work/postgres" "$PY" -m pytest -p no:cacheprovider "$@" || status=1
else
  echo "Erreur : impossible de démarrer PostgreSQL." >&2
  status=1
fi
echo "Durée totale des tests : $(( $(date +%s) - start )) s"
exit $status

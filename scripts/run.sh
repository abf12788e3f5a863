#!/usr/bin/env bash
# Prepare the database (migrations, demo company if empty, static files) and serve on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
ETABLI=.venv/bin/etabli
export ETABLI_DATA_DIR="${ETABLI_DATA_DIR:-$PWD/var}"
"$ETABLI" migrate --no-input -v 0
"$ETABLI" collectstatic --no-input -v 0
"$ETABLI" demo --seed 1 --if-empty
echo
echo "Données : $ETABLI_DATA_DIR — arrêt : Ctrl+C"
exec "$ETABLI" serve --host "${ETABLI_HOST:-127.0.0.1}" --port "${ETABLI_PORT:-8000}"

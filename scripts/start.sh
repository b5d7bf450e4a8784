#!/usr/bin/env bash
# One command from a fresh clone to a running service on the embedded default:
# installs, loads the demo city (idempotent), serves on http://HOST:PORT (docs at /docs).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
VENV="$VENV" scripts/install.sh
export HF_HUB_OFFLINE=1
"$VENV/bin/jobcircle" demo
echo "==> JobCircle at http://${HOST:-127.0.0.1}:${PORT:-8000}/docs  (Ctrl-C stops it)"
exec "$VENV/bin/jobcircle" serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"

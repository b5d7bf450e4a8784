#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite, on SQLite and PostgreSQL.
# PostgreSQL tests use JOBCIRCLE_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test)
# and are skipped when it is unreachable, unless JOBCIRCLE_REQUIRE_POSTGRES=1.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
VENV="$VENV" EXTRAS=dev scripts/install.sh
export HF_HUB_OFFLINE=1
set +e
"$VENV/bin/python" -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite, on SQLite and PostgreSQL.
# PostgreSQL tests use JOBCIRCLE_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test)
# and are skipped when it is unreachable, unless JOBCIRCLE_REQUIRE_POSTGRES=1.
# Tests run in parallel (pytest-xdist), one worker per core up to 4; JOBCIRCLE_TEST_WORKERS
# sets how many (0: in this process, as plain pytest does). Each worker has its own databases.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
VENV="$VENV" EXTRAS=dev scripts/install.sh
export HF_HUB_OFFLINE=1
cores="$(nproc 2>/dev/null || echo 2)"
workers="${JOBCIRCLE_TEST_WORKERS:-$((cores < 4 ? cores : 4))}"
set +e
"$VENV/bin/python" -m pytest -n "$workers" --dist worksteal "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"

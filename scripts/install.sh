#!/usr/bin/env bash
# Creates (or reuses) a virtualenv and installs JobCircle into it.
#   VENV=path   where the virtualenv lives (default: .venv)
#   EXTRAS=dev  optional extras to install
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
pip_install() { "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$@"; }

# PyTorch first, pinned to the CPU build, so that sentence-transformers does not pull a CUDA one.
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  echo "==> installing PyTorch (CPU)"
  pip_install "torch==${TORCH_VERSION:-2.13.0}"
fi
target="."
if [ -n "${EXTRAS:-}" ]; then target=".[${EXTRAS}]"; fi
echo "==> installing jobcircle ${EXTRAS:+with $EXTRAS}"
pip_install -e "$target"

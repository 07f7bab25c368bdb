#!/usr/bin/env bash
# The main job: set up if needed, then ask the default local model a question.
# Usage: scripts/demo.sh ["your question"]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/agentkit chat "${1:-In two sentences, what is a local-first agent framework good for?}"

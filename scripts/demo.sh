#!/usr/bin/env bash
# The main job: set up if needed, load the sample documents into memory, then ask the flagship
# assistant (graphs/assistant.yaml) about them and about a sample picture, on the default local
# model, offline. Each run prints the streamed answer, its sources and a per-node table.
# Usage: scripts/demo.sh                      # two sample questions: a document and a receipt
#        scripts/demo.sh "question" [IMAGE]   # your own question (about IMAGE, if given)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
agentkit=.venv/bin/agentkit
"$agentkit" memory ingest examples/data/docs   # content-addressed: a re-run embeds nothing new
if [ $# -gt 0 ]; then
  exec "$agentkit" run assistant --input question="$1" ${2:+--image "$2"}
fi
"$agentkit" run assistant --input question="How do I reset the Ferncloud AX3 router to factory settings?"
"$agentkit" run assistant --input question="How much did I pay in total, and at which shop?" \
  --image examples/data/images/receipt.png

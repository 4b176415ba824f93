#!/usr/bin/env bash
# Quick start, command 1: set up .venv, then run `quantumlayer create` with the given arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "$root/.venv/bin/quantumlayer" create "$@"

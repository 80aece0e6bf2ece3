#!/usr/bin/env bash
# Installe l'outillage dans .venv (versions verrouillées de requirements/runtime.txt) et construit le site
# de démonstration dans site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh runtime
.venv/bin/spro validate
.venv/bin/spro build
echo "Pour le consulter : .venv/bin/mkdocs serve (puis http://127.0.0.1:8000/annuaire/)"

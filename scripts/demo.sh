#!/usr/bin/env bash
# Installe l'outillage dans .venv et construit le site de démonstration dans site/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/spro validate
.venv/bin/spro build
echo "Pour le consulter : .venv/bin/mkdocs serve (puis http://127.0.0.1:8000/annuaire/)"

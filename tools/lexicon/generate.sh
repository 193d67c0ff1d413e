#!/bin/sh
# Installs the pinned data packages locally (gitignored) and regenerates the lexicons.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund
[ -d .venv ] || python3 -m venv .venv
.venv/bin/pip install -q -r requirements.txt
.venv/bin/python generate.py

#!/usr/bin/env bash
# Batch benchmark: N synthetic articles (sentences written in gen.py, no corpora) through
# `newsmark extract --jsonl`, with peak memory from /usr/bin/time -v.
#   tools/batch-bench/run.sh [N=10000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-10000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$root/tools/batch-bench/gen.py" "$n" "$work/in.jsonl"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin newsmark
/usr/bin/time -v "$root/target/release/newsmark" extract --quiet --jsonl "$work/in.jsonl" --out "$work/out.jsonl" 2> "$work/err" || true
grep -E "newsmark: [0-9]|Maximum resident|Elapsed|User time|System time|Percent of CPU" "$work/err"

#!/usr/bin/env bash
# Runs the cargo-fuzz targets: `fuzz/run.sh SECONDS [TARGET…]` (default: every target).
#   ./x test runs `fuzz/run.sh 5` as a smoke; long runs: `nice -n 10 fuzz/run.sh 3600`.
# Each target starts from its committed seeds (fuzz/seeds/T) plus the corpus earlier runs
# grew (fuzz/corpus/T, not committed). A crash stops the script with a non-zero status;
# its input is in fuzz/artifacts/T/ (replay: fuzz/target/<host>/release/T FILE).
# Prints the executions per target and appends them to fuzz/runs.log.
#
# Built without a sanitizer (-s none: the crate forbids unsafe code, and ASan would only
# slow it down) but with debug assertions, so integer overflows fail like panics do.
# Built with the machine's one (stable) toolchain: RUSTC_BOOTSTRAP=1 lets it take the
# nightly flags cargo-fuzz passes, since no other toolchain can be installed on CI.
set -euo pipefail
export RUSTC_BOOTSTRAP=1
cd "$(dirname "${BASH_SOURCE[0]}")"

secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(json w3c brat spacy conll doccano labelstudio bundle html jsonl pipeline)
fi
flags=(--release --debug-assertions -s none)

command -v cargo-fuzz >/dev/null || { echo "fuzz/run.sh: cargo-fuzz is missing (./x installs it)" >&2; exit 1; }
if [ ${#targets[@]} -eq 1 ]; then
    cargo fuzz build "${flags[@]}" "${targets[0]}" >&2
else
    cargo fuzz build "${flags[@]}" >&2
fi

# The binaries just built are run directly: `cargo fuzz run` would rebuild first whenever
# a source changed meanwhile (minutes per target during a long run).
bin="${CARGO_TARGET_DIR:-target}/$(rustc -vV | awk '/^host:/ { print $2 }')/release"
total=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log=$(mktemp)
    if ! "$bin/$t" "corpus/$t" "seeds/$t" \
        -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=4096 -timeout=20 \
        -artifact_prefix="artifacts/$t/" >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "fuzz/run.sh: $t FAILED (input in fuzz/artifacts/$t/)" >&2
        exit 1
    fi
    runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
    rm -f "$log"
    total=$((total + ${runs:-0}))
    printf '%-12s %12s executions in %s s\n' "$t" "${runs:-?}" "$secs"
    printf '%s %s %s %s\n' "$(date -u +%FT%TZ)" "$t" "${runs:-0}" "$secs" >>runs.log
done
printf '%-12s %12s executions\n' total "$total"

#!/bin/sh
# Builds the bench for wasm32 (release), binds it for Node and runs it.
# Needs the wasm-bindgen CLI at the version in Cargo.lock (`wasm-bindgen --version`).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown --bin bench
out=target/bench-wasm
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/release/bench.wasm
ls -l "$out/bench_bg.wasm"
node bench/wasm-bench.js "$out" "$@"
# The model's share of the wasm: of this bench module, and of the app's if it was built
# (`trunk build --release` writes dist/).
python3 bench/wasm_share.py "$out/bench_bg.wasm" $(ls dist/*.wasm 2>/dev/null)

// Times the tagger and the full pipeline in wasm under Node (see src/bin/bench.rs).
// Usage: node bench/wasm-bench.js PKG_DIR [DEV_DIR] [SECONDS]
const fs = require("fs");
const path = require("path");
const { performance } = require("perf_hooks");

const pkg = require(path.resolve(process.argv[2], "bench.js"));
const dev = process.argv[3] || process.env.NEWSMARK_SHARED && path.join(process.env.NEWSMARK_SHARED, "eval/dev") || "/work/shared/eval/dev";
const secs = Number(process.argv[4] || 3);

const texts = [];
for (const d of fs.readdirSync(dev).sort()) {
  const dir = path.join(dev, d);
  if (!fs.statSync(dir).isDirectory()) continue;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    texts.push(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")).document.text);
  }
}
const words = texts.reduce((n, t) => n + t.split(/\s+/).filter((w) => w.length > 0).length, 0);
console.log(`node ${process.version}; corpus: ${texts.length} documents, ${words} words`);
console.log(`model: ${pkg.model_bytes()} bytes embedded`);

function time(label, f) {
  let sink = 0;
  for (const t of texts) sink += f(t); // warm-up
  const t0 = performance.now();
  let rounds = 0;
  while (rounds === 0 || performance.now() - t0 < secs * 1000) {
    pkg.bench_clear_cache(); // every pass starts cold, as the native bench does
    for (const t of texts) sink += f(t);
    rounds++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`${label} ${Math.round((words * rounds) / s).toString().padStart(10)} words/s (${sink > 0 ? "ok" : "nothing found"})`);
}
time("wasm tagger alone:   ", pkg.bench_tag);
time("wasm full extraction:", pkg.bench_extract);
time("wasm full, each document cold:", (t) => {
  pkg.bench_clear_cache();
  return pkg.bench_extract(t);
});

#!/usr/bin/env python3
"""Trunk post-build hook: ships the models as files of their own.

Copies `models/tagger.bin` and `models/attribution.bin` into the build as
`models/<name>-<first 16 hex of sha256>.bin`, so a new model is a new URL (and an unchanged
one keeps its URL, which the service worker then reuses from its previous cache instead of
downloading it again), and stamps the worker's loader script
(`newsmark-worker_loader.js`) with a line that starts fetching both before the worker's
wasm loads, leaving `self.newsmarkModels`: a promise of `{tagger: {bytes} | {error},
attribution: …}` that `ui::worker` awaits and installs (it never rejects, so no
"unhandled rejection" reaches the console before the wasm is there to handle it).

The worker wasm is built without the embedded models (`data-cargo-no-default-features`
in index.html), so a build whose loader was not stamped has no models: this hook fails
the build instead (missing model, missing or already stamped loader).

Usage: python3 tools/models.py [DIR]  (default: $TRUNK_STAGING_DIR, else dist); the models
are read from $TRUNK_SOURCE_DIR/models (else ./models)."""
import hashlib
import json
import os
import re
import sys
from pathlib import Path

MODELS = ("tagger", "attribution")
LOADER = "newsmark-worker_loader.js"
STAMP = "self.newsmarkModels="
# Names as this tool writes them, for tools/singlefile.py.
NAME = re.compile(r'"\./(models/(tagger|attribution)-[0-9a-f]{16}\.bin)"')


def fetch_line(urls: dict[str, str]) -> str:
    get = (
        "const get=(u)=>fetch(u).then((r)=>{if(!r.ok)throw new Error(u+\": HTTP \"+r.status);return r.arrayBuffer()})"
        ".then((bytes)=>({bytes}),(e)=>({error:String((e&&e.message)||e)}));"
    )
    names = list(urls)
    body = (
        "return Promise.all([" + ",".join(f"get({json.dumps(urls[n])})" for n in names) + "])"
        ".then((l)=>({" + ",".join(f"{n}:l[{i}]" for i, n in enumerate(names)) + "}));"
    )
    return STAMP + "(()=>{" + get + body + "})();\n"


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    source = Path(os.environ.get("TRUNK_SOURCE_DIR", ".")) / "models"
    loader = root / LOADER
    if not loader.is_file():
        print(f"models: no {loader} to stamp (is the worker still a Trunk rust asset with data-loader-shim?)", file=sys.stderr)
        return 1
    text = loader.read_text(encoding="utf-8")
    if STAMP in text:
        print(f"models: {loader} is stamped already", file=sys.stderr)
        return 1
    (root / "models").mkdir(exist_ok=True)
    urls = {}
    for name in MODELS:
        src = source / f"{name}.bin"
        if not src.is_file():
            print(f"models: {src} is missing", file=sys.stderr)
            return 1
        data = src.read_bytes()
        rel = f"models/{name}-{hashlib.sha256(data).hexdigest()[:16]}.bin"
        (root / rel).write_bytes(data)
        urls[name] = "./" + rel
    loader.write_text(fetch_line(urls) + text, encoding="utf-8")
    print(f"models: {', '.join(urls.values())}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

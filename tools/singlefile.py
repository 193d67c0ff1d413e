#!/usr/bin/env python3
"""Builds newsmark as ONE .html file that works when opened straight from disk (file://):
the wasm (base64), its JS glue and the CSS are inlined.

Why a rewrite is needed: Trunk's page imports its JS as a separate module and fetches the
.wasm, and browsers refuse both for file:// pages. Here the wasm-bindgen glue is pasted
into an inline module script (inline modules need no fetch) and initialised from an
inlined byte array. The extraction worker and its models (models/*.bin) are inlined once
too: the page turns its glue and bytes into a `blob:` script and leaves its URL in
`window.__newsmarkWorkerUrl`, which `ui::worker` starts instead of the worker file.
The service worker and manifest are dropped (file:// pages cannot use them). The
Content-Security-Policy is rewritten for a page that loads nothing: inline scripts and
styles by hash, the worker from its `blob:` URL (see `single_file_csp`).

Usage: python3 tools/singlefile.py [DIST_DIR] [OUT_FILE]   (defaults: dist, dist-single/newsmark.html)
"""
import base64
import json
import re
import sys
from pathlib import Path


class SingleFileError(Exception):
    pass


def read_asset(dist: Path, href: str) -> Path:
    """A dist file from an href Trunk wrote ('./x', '/x' or 'x')."""
    name = href.split("?")[0].split("#")[0]
    name = re.sub(r"^(\./|/)+", "", name)
    path = dist / name
    if not path.is_file():
        raise SingleFileError(f"{href} is referenced by index.html but missing from {dist}")
    return path


def inline_css(html: str, dist: Path) -> str:
    def repl(m: re.Match) -> str:
        css = read_asset(dist, m.group(1)).read_text(encoding="utf-8")
        if re.search(r"url\((?!['\"]?data:)", css):
            raise SingleFileError("the CSS references files by url(); inline them as data: URIs first")
        return "<style>\n" + css.replace("</style", "<\\/style") + "\n</style>"

    return re.sub(r"<link\b[^>]*\brel=\"?stylesheet\"?[^>]*\bhref=\"([^\"]+)\"[^>]*>", repl, html)


def inline_app(html: str, dist: Path) -> str:
    m = re.search(r"<script type=\"module\"[^>]*>(.*?)</script>", html, re.S)
    if not m:
        raise SingleFileError("no Trunk module script in index.html (built with `trunk build`?)")
    loader = m.group(1)
    js_href = re.search(r"from '([^']+\.js)'", loader)
    wasm_href = re.search(r"'([^']+_bg\.wasm)'", loader)
    if not js_href or not wasm_href:
        raise SingleFileError("unexpected Trunk loader script: cannot find the .js and .wasm names")
    glue = read_asset(dist, js_href.group(1)).read_text(encoding="utf-8")
    if re.search(r"^\s*import\b", glue, re.M):
        raise SingleFileError("the wasm-bindgen glue imports snippets; they would need inlining too")
    wasm = read_asset(dist, wasm_href.group(1)).read_bytes()
    b64 = base64.b64encode(wasm).decode("ascii")
    worker = inline_worker(dist)
    # `export` declarations are legal in an inline module (nothing can import them), so the
    # glue is pasted unchanged; only the loader's import and fetch are replaced.
    script = (
        '<script type="module">\n'
        "window.__newsmarkSingleFile = true;\n"
        + worker
        + glue.replace("</script", "<\\/script")
        + "\nconst __newsmarkWasm = Uint8Array.from(atob(\"" + b64 + "\"), (c) => c.charCodeAt(0));\n"
        # The glue already declares a module-level `wasm`; do not redeclare it.
        "await __wbg_init({ module_or_path: __newsmarkWasm });\n"
        'dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));\n'
        "</script>"
    )
    return html[: m.start()] + script + html[m.end():]


def inline_storage(html: str, dist: Path) -> str:
    """The storage bridge (pouch.js) inline, with PouchDB inline before it: the bridge
    loads pouchdb.min.js by URL only when the page does not have it already."""
    def repl(m: re.Match) -> str:
        pouchdb = read_asset(dist, "pouchdb.min.js").read_text(encoding="utf-8")
        bridge = read_asset(dist, m.group(1)).read_text(encoding="utf-8")
        return "".join("<script>\n" + js.replace("</script", "<\\/script") + "\n</script>" for js in (pouchdb, bridge))

    return re.sub(r"<script defer src=\"(pouch\.js)\"></script>", repl, html)


WORKER_JS = "newsmark-worker.js"
WORKER_WASM = "newsmark-worker_bg.wasm"


def inline_worker(dist: Path) -> str:
    """A script line that makes the worker (its no-modules glue, then its wasm from an
    inlined byte array, its models too) a `blob:` URL and leaves it in `window.__newsmarkWorkerUrl`."""
    glue = read_asset(dist, WORKER_JS).read_text(encoding="utf-8")
    wasm = read_asset(dist, WORKER_WASM).read_bytes()
    if "wasm_bindgen" not in glue:
        raise SingleFileError(f"{WORKER_JS} is not wasm-bindgen no-modules glue (no `wasm_bindgen`)")
    b64 = base64.b64encode(wasm).decode("ascii")
    start = (
        '\nwasm_bindgen({ module_or_path: Uint8Array.from(atob("' + b64 + '"), (c) => c.charCodeAt(0)) });\n'
    )
    # JSON string literals are valid JS; `</` is escaped so the page's <script> never ends early.
    source = json.dumps(inline_models(dist) + glue + start).replace("</", "<\\/")
    return (
        "window.__newsmarkWorkerUrl = URL.createObjectURL(new Blob([" + source + '], { type: "text/javascript" }));\n'
    )


LOADER = "newsmark-worker_loader.js"
MODEL_NAME = re.compile(r'"\./(models/(tagger|attribution)-[0-9a-f]{16}\.bin)"')


def inline_models(dist: Path) -> str:
    """The models, once, as the worker loader's `self.newsmarkModels` promise (what
    tools/models.py stamps into the served loader, with the bytes in place of fetches)."""
    loader = read_asset(dist, LOADER).read_text(encoding="utf-8")
    found = {name: rel for rel, name in MODEL_NAME.findall(loader)}
    if set(found) != {"tagger", "attribution"}:
        raise SingleFileError(f"{LOADER} names no models (tools/models.py did not run?)")
    entries = ",".join(
        name + ':{bytes:Uint8Array.from(atob("' + base64.b64encode(read_asset(dist, rel).read_bytes()).decode("ascii")
        + '"),(c)=>c.charCodeAt(0))}'
        for name, rel in sorted(found.items())
    )
    return "self.newsmarkModels=Promise.resolve({" + entries + "});\n"


def drop_links(html: str) -> str:
    # Preloads point at files that are now inline; a manifest cannot load from file://.
    return re.sub(r"<link\b[^>]*\brel=\"?(modulepreload|preload|manifest)\"?[^>]*>\s*", "", html)


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*/?>')


def single_file_csp(html: str) -> str:
    """The page's policy rewritten for one self-contained file: nothing is loaded from
    anywhere (not even 'self', which a file:// page does not have), every inline script and
    style element allowed by its hash, the wasm compiled from inlined bytes
    ('wasm-unsafe-eval'), connect-src only for a sync server (narrowed by the page's own
    script to the one the user set)."""
    from csp import source_hash  # tools/csp.py: the same hashing as the served build

    if not CSP_META.search(html):
        raise SingleFileError("dist/index.html has no Content-Security-Policy meta tag")
    scripts = [source_hash(m.group(1)) for m in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)]
    styles = [source_hash(m.group(1)) for m in re.finditer(r"<style\b[^>]*>(.*?)</style>", html, re.S)]
    policy = (
        "default-src 'none'; "
        f"script-src 'wasm-unsafe-eval' {' '.join(scripts)}; "
        # The extraction worker is inlined as a `blob:` script (see `inline_worker`).
        "worker-src blob:; "
        f"style-src {' '.join(styles) or chr(39) + 'none' + chr(39)}; style-src-attr 'unsafe-inline'; "
        "img-src data:; connect-src https: http://localhost:* http://127.0.0.1:*; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'"
    )
    return CSP_META.sub(lambda _: f'<meta http-equiv="Content-Security-Policy" content="{policy}" />', html, count=1)


def build(dist: Path, out: Path) -> int:
    index = dist / "index.html"
    if not index.is_file():
        raise SingleFileError(f"{index} not found: run `trunk build --release` first")
    html = index.read_text(encoding="utf-8")
    html = single_file_csp(drop_links(inline_app(inline_storage(inline_css(html, dist), dist), dist)))
    leftover = re.findall(r"(?:src|href)=\"(?!data:|#|https?:)([^\"]+)\"", html)
    if leftover:
        raise SingleFileError(f"index.html still references files: {', '.join(leftover)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return len(html.encode("utf-8"))


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "dist-single/newsmark.html")
    try:
        size = build(dist, out)
    except SingleFileError as e:
        print(f"singlefile: {e}", file=sys.stderr)
        return 1
    print(f"singlefile: wrote {out} ({size / 1024:.0f} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Trunk post-build hook: the page's wasm and JS are requested first, at high priority.

Trunk appends its `<link rel="modulepreload">` (the page's JS) and `<link rel="preload"
as="fetch" type="application/wasm">` (the page's wasm) at the end of <head>. Chromium holds
such requests back while the parser is still in <head> behind the stylesheets and the
inline script, yet the wasm is the largest file the first screen needs and its compile can
only start when it streams in. This moves both links right after the Content-Security-Policy
meta (the policy must come first) and marks them `fetchpriority="high"`, so their requests go
out with the HTML's first bytes (DESIGN.md, "Start-up order").

Fails (exit 1) when the links are missing, so a Trunk change cannot silently undo this.

Usage: python3 tools/preload.py [DIR]  (default: $TRUNK_STAGING_DIR, else dist)"""
import os
import re
import sys
from pathlib import Path

PRELOAD = re.compile(r'<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>')
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def hoist(html: str) -> str:
    """`html` with the page's JS and wasm preloads first in <head>, at high priority."""
    links = [m.group(0) for m in PRELOAD.finditer(html)]
    wanted = [l for l in links if 'rel="modulepreload"' in l or 'type="application/wasm"' in l]
    if not any('rel="modulepreload"' in l for l in wanted) or not any("application/wasm" in l for l in wanted):
        raise ValueError("no Trunk modulepreload and wasm preload links (did Trunk change how it writes them?)")
    csp = CSP_META.search(html)
    if not csp:
        raise ValueError("no Content-Security-Policy meta to put the preloads after")
    for link in wanted:
        html = html.replace(link, "", 1)
    high = [l if "fetchpriority=" in l else l.replace("<link ", '<link fetchpriority="high" ', 1) for l in wanted]
    block = "".join(f"    {l}\n" for l in high)
    at = csp.end()
    return html[:at] + ("" if html[at - 1] == "\n" else "\n") + block + html[at:]


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    index = root / "index.html"
    try:
        html = hoist(index.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"preload: {index}: {e}", file=sys.stderr)
        return 1
    index.write_text(html, encoding="utf-8")
    print("preload: the page's JS and wasm are preloaded first, at high priority")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Trunk post-build hook: allows the built page's inline scripts by hash in its
Content-Security-Policy (index.html carries the policy with a marker where the hashes go).

Trunk writes an inline module script that loads the app; its text names the hashed .js and
.wasm files, so its hash is only known after the build. Fails (exit 1) when the marker or
the policy is missing, so a page without its CSP can never be built.

Usage: python3 tools/csp.py [DIR]  (default: $TRUNK_STAGING_DIR, else dist)"""
import base64
import hashlib
import os
import re
import sys
from pathlib import Path

MARKER = "__NEWSMARK_SCRIPT_HASHES__"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def source_hash(text: str) -> str:
    """The CSP source expression for one inline script or style element's text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_hashes(html: str) -> list[str]:
    return [source_hash(m.group(1)) for m in INLINE_SCRIPT.finditer(html)]


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    index = root / "index.html"
    html = index.read_text(encoding="utf-8")
    if "Content-Security-Policy" not in html:
        print(f"csp: {index} has no Content-Security-Policy", file=sys.stderr)
        return 1
    if MARKER not in html:
        print(f"csp: {index} has no {MARKER} marker (stamped twice?)", file=sys.stderr)
        return 1
    hashes = inline_hashes(html)
    html = html.replace(MARKER, " ".join(hashes) if hashes else "")
    index.write_text(html, encoding="utf-8")
    print(f"csp: {len(hashes)} inline script(s) allowed by hash", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

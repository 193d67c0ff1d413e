#!/usr/bin/env python3
"""Trunk post-build hook: stamps the service worker with this build's file list and a
content hash, so its cache is versioned by what was built (not by a clock).

Trunk runs it with TRUNK_STAGING_DIR set to the finished build; it can also be run by hand
on a dist folder: `python3 tools/sw_precache.py dist`."""
import hashlib
import json
import os
import re
import sys
from pathlib import Path

SKIP = {"sw.js"}


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    sw = root / "sw.js"
    if not sw.exists():
        # The app registers sw.js: a build without it would ship no offline support.
        print(f"sw_precache: no {sw} to stamp", file=sys.stderr)
        return 1
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name not in SKIP)
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    build = digest.hexdigest()[:16]
    text = sw.read_text(encoding="utf-8")
    text = text.replace("__NEWSMARK_BUILD__", build)
    text = text.replace('["./"]; /* __NEWSMARK_FILES__ */', json.dumps(["./"] + files) + ";")
    left = sorted(set(re.findall(r"__NEWSMARK_[A-Z_]*__", text)))
    if left:
        # A placeholder the stamping did not replace (its spelling in sw.js changed): the
        # worker would cache the wrong files or never update. Fail the build instead.
        print(f"sw_precache: {sw}: placeholder(s) left: {', '.join(left)}", file=sys.stderr)
        return 1
    sw.write_text(text, encoding="utf-8")
    print(f"sw_precache: {len(files)} files, build {build}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

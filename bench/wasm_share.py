#!/usr/bin/env python3
"""The tagger model's share of each wasm file: raw and gzip bytes.

Usage: python3 bench/wasm_share.py [MODEL] WASM...   (MODEL defaults to models/tagger.bin)

The model is embedded with `include_bytes!`, so it sits in the wasm's data section —
verbatim, except that wasm-opt's memory packing drops runs of zero bytes (splitting the
data into segments). So the model is cut at its zero runs and the pieces are located in
order. Its raw share is the bytes of those pieces; its gzip share is the difference
between gzip -9 of the file as built and of the same file with those pieces zeroed
(zeros compress to almost nothing): what the download pays for the model.
"""
import gzip
import pathlib
import re
import sys


def locate(wasm: bytes, pieces: list[bytes], start: int) -> list[int] | None:
    """Offsets of `pieces` in order from `start`, each close after the previous one."""
    found, pos = [], start
    for i, piece in enumerate(pieces):
        at = wasm.find(piece, pos)
        # Segments follow each other closely (a few header bytes in between).
        if at < 0 or (i > 0 and at - pos > 64):
            return None
        found.append(at)
        pos = at + len(piece)
    return found


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main(argv: list[str]) -> int:
    args = list(argv)
    model_path = pathlib.Path("models/tagger.bin")
    if args and not args[0].endswith(".wasm"):
        model_path = pathlib.Path(args.pop(0))
    if not args:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    model = model_path.read_bytes()
    print(f"model {model_path}: {len(model):,} B raw, {gz(model):,} B gzip -9")
    status = 0
    for name in args:
        wasm = pathlib.Path(name).read_bytes()
        pieces = [p for p in re.split(rb"\x00{4,}", model) if p]
        stripped = bytearray(wasm)
        count, embedded, pos = 0, 0, 0
        while pieces:
            start = wasm.find(pieces[0], pos)
            offsets = locate(wasm, pieces, start) if start >= 0 else None
            if offsets is None:
                break
            for at, piece in zip(offsets, pieces):
                stripped[at : at + len(piece)] = bytes(len(piece))
                embedded += len(piece)
            count += 1
            pos = offsets[-1] + len(pieces[-1])
        if count == 0:
            print(f"{name}: {len(wasm):,} B raw, {gz(wasm):,} B gzip; model not embedded")
            continue
        raw, packed, packed_without = len(wasm), gz(wasm), gz(bytes(stripped))
        share = packed - packed_without
        print(
            f"{name}: {raw:,} B raw, {packed:,} B gzip; model ×{count}: "
            f"{embedded:,} B raw ({100 * embedded / raw:.1f} %), "
            f"{share:,} B of the gzip ({100 * share / packed:.1f} %)"
        )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Rebuild the full-scheme dev set's gold files from our annotations and the shared texts.

The annotations (tests/fixtures/fullscheme/*.json) are ours; the article texts are not
(PolNeAR, no licence: evaluation and internal use only), so the repository keeps only
offsets, labels and a SHA-256 of each text. This script reads each text from
`shared/data/polnear-train/`, checks its hash, and writes complete
`newsmark.annotations` v1 gold files (text and slices filled in) for `score.py`.

usage: materialize.py --shared ../shared --out DIR [--fixtures tests/fixtures/fullscheme]
Exit status: 0 written, 2 a text is missing or differs from the one annotated.
Python 3 standard library only, like score.py.
"""
import argparse, hashlib, json, os, sys


def die(msg):
    print(f"materialize.py: {msg}", file=sys.stderr)
    sys.exit(2)


def span(text, s, what):
    if s is None:
        return None
    a, b = s["start"], s["end"]
    if not (0 <= a <= b <= len(text)):
        die(f"{what}: offsets {a}..{b} outside the text ({len(text)} code points)")
    out = {"start": a, "end": b, "text": text[a:b]}
    if s.get("fragments"):
        out["fragments"] = [span(text, f, what) for f in s["fragments"]]
        del out["text"]
    if "entity_text" in s:
        out["entity_text"] = s["entity_text"]
    return out


def build(fixture, shared):
    doc = fixture["document"]
    path = os.path.join(shared, "data", "polnear-train", doc + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            src = json.load(f)
    except (OSError, ValueError) as e:
        die(f"{doc}: cannot read the text from {path}: {e}")
    text = src["document"]["text"]
    got = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if got != fixture["text_sha256"]:
        die(f"{doc}: the text in {path} is not the one annotated (SHA-256 {got}, expected {fixture['text_sha256']})")
    ents = []
    for e in fixture["entities"]:
        s = span(text, e, f"{doc} entity {e['id']}")
        if "text" in e and e["text"] != s["text"]:
            die(f"{doc} entity {e['id']}: {e['text']!r} != text slice {s['text']!r}")
        ents.append({"id": e["id"], "label": e["label"], **s, "origin": "human", "status": "accepted"})
    atts = []
    for a in fixture["attributions"]:
        what = f"{doc} attribution {a['id']}"
        atts.append({"id": a["id"], "kind": a["kind"], "source": span(text, a["source"], what + " source"),
                     "cue": span(text, a["cue"], what + " cue"), "content": span(text, a["content"], what + " content"),
                     "origin": "human", "status": "accepted"})
    return {"format": "newsmark.annotations", "version": 1,
            "document": {"id": doc, "title": src["document"].get("title"), "text": text},
            "layers": ["entities", "attributions", "boilerplate"],
            "entities": ents, "attributions": atts,
            "boilerplate": [span(text, z, f"{doc} boilerplate") for z in fixture.get("boilerplate", [])]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixtures", default=os.path.join(here, "..", "..", "tests", "fixtures", "fullscheme"))
    args = ap.parse_args()
    names = sorted(n for n in os.listdir(args.fixtures) if n.endswith(".json"))
    if not names:
        die(f"no annotations in {args.fixtures}")
    os.makedirs(args.out, exist_ok=True)
    for n in names:
        with open(os.path.join(args.fixtures, n), encoding="utf-8") as f:
            fixture = json.load(f)
        gold = build(fixture, args.shared)
        with open(os.path.join(args.out, fixture["document"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(gold, f, ensure_ascii=False, indent=1)
    print(f"{len(names)} gold files in {args.out}")


if __name__ == "__main__":
    main()

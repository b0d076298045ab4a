"""The model's attribute ruler (tag map and exceptions: POS, MORPH, some LEMMAs),
matched through an index instead of spaCy's general Matcher.

spaCy's ``AttributeRuler`` runs every one of its patterns (179 in en_core_web_sm)
over every token with the ``Matcher``: ~11% of the whole pipeline's time. Its
patterns are short and anchored on one exact attribute ("TAG": "NN", "LOWER":
"gets"), so an index from attribute value to the rules that need it finds the same
matches for a fraction of the cost. The matches are then applied by spaCy's own
code in spaCy's order (later rules win), so the annotations are the same; rules
the index cannot express (operators, other attributes) keep the Matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["IndexedAttributeRuler", "use_indexed_attribute_ruler"]

#: Token attributes the index reads, in the column order of ``Doc.to_array``; also the
#: order in which an exact test anchors a rule when a token has several (most selective first).
_COLUMNS = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")
_ARRAY_ATTRS = (LOWER, ORTH, TAG, DEP, IS_SPACE)
_COLUMN = {name: i for i, name in enumerate(_COLUMNS)}

Row = Sequence[int]
Check = Callable[[Row], bool]


class Unsupported(ValueError):
    """A pattern the index cannot express exactly (it stays with the Matcher)."""


@dataclass(frozen=True)
class _Rule:
    rule: int  # position of the rule in the ruler: later rules win
    key: int  # the Matcher key of the rule (its match id)
    length: int  # tokens in the pattern
    anchor: int  # offset of the token whose exact value indexes the rule
    checks: tuple[tuple[int, Check], ...]  # (token offset, test) beyond the anchor


class _Index:
    """Rules by the exact attribute value one of their tokens requires."""

    def __init__(self) -> None:
        self.by_value: list[dict[int, list[_Rule]]] = [{} for _ in _COLUMNS]
        self.anywhere: list[_Rule] = []

    def add(self, rule: _Rule, anchor: tuple[int, frozenset[int]] | None) -> None:
        if anchor is None:
            self.anywhere.append(rule)
            return
        column, values = anchor
        for value in values:
            self.by_value[column].setdefault(value, []).append(rule)

    def matches(self, rows: list[list[int]]) -> set[tuple[int, int, int, int]]:
        """(rule, key, start, end) of every match, as the Matcher would find them."""
        found: set[tuple[int, int, int, int]] = set()
        tables = [(column, table) for column, table in enumerate(self.by_value) if table]
        size = len(rows)
        for position, row in enumerate(rows):
            for column, table in tables:
                rules = table.get(row[column])
                if rules:
                    for rule in rules:
                        _try(rule, rows, position - rule.anchor, size, found)
            for rule in self.anywhere:
                _try(rule, rows, position, size, found)
        return found


def _try(rule: _Rule, rows: list[list[int]], start: int, size: int,
         found: set[tuple[int, int, int, int]]) -> None:
    end = start + rule.length
    if start < 0 or end > size:
        return
    for offset, check in rule.checks:
        if not check(rows[start + offset]):
            return
    found.add((rule.rule, rule.key, start, end))


def _value_id(ruler: AttributeRuler, attr: str, value: Any) -> int:
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE value {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise Unsupported(f"{attr} value {value!r}")
    return ruler.vocab.strings.add(value)


def _predicate(ruler: AttributeRuler, attr: str, spec: Any) -> tuple[Check, frozenset[int] | None]:
    """One token test as a function of a row, and the exact values it accepts (if any)."""
    if attr not in _COLUMN:
        raise Unsupported(f"attribute {attr}")
    column = _COLUMN[attr]
    if not isinstance(spec, dict):
        value = _value_id(ruler, attr, spec)
        return (lambda row: row[column] == value), frozenset({value})
    if len(spec) != 1:
        raise Unsupported(f"{attr} operators {sorted(spec)}")
    (operator, argument), = spec.items()
    if operator in ("IN", "NOT_IN"):
        values = frozenset(_value_id(ruler, attr, v) for v in argument)
        if operator == "IN":
            return (lambda row: row[column] in values), values
        return (lambda row: row[column] not in values), None
    if operator == "REGEX" and attr in ("LOWER", "ORTH"):
        regex = re.compile(argument)
        strings = ruler.vocab.strings
        return (lambda row: regex.search(strings[row[column]]) is not None), None
    raise Unsupported(f"{attr} operator {operator}")


def _compile_pattern(ruler: AttributeRuler, rule: int, key: int, pattern: list[dict[str, Any]]):
    tests: list[tuple[int, str, Check, frozenset[int] | None]] = []
    for offset, token in enumerate(pattern):
        if not token:
            raise Unsupported("empty token pattern")
        for attr, spec in token.items():
            tests.append((offset, attr, *_predicate(ruler, attr, spec)))
    exact = [(_COLUMN[attr], offset, attr, values)
             for offset, attr, _, values in tests if values is not None]
    if not exact:
        return _Rule(rule, key, len(pattern), 0, tuple((o, c) for o, _, c, _ in tests)), None
    _, anchor_offset, anchor_attr, values = min(exact, key=lambda e: (e[0], e[1]))
    checks = tuple((offset, check) for offset, attr, check, _ in tests
                   if (offset, attr) != (anchor_offset, anchor_attr))
    return _Rule(rule, key, len(pattern), anchor_offset, checks), (_COLUMN[anchor_attr], values)


def compile_index(ruler: AttributeRuler) -> _Index:
    """The ruler's patterns as an index; raises ``Unsupported`` for any it cannot express."""
    index = _Index()
    for rule in range(len(ruler.attrs)):
        key = ruler.vocab.strings.add(str(rule))
        _, patterns = ruler.matcher.get(key)
        for pattern in patterns:
            index.add(*_compile_pattern(ruler, rule, key, pattern))
    return index


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` that finds its matches through an index (same output)."""

    _index: _Index | None = None
    _compiled = False

    def add(self, patterns, attrs, index: int = 0) -> None:  # type: ignore[override]
        super().add(patterns, attrs, index)
        self._compiled = False

    def clear(self) -> None:
        super().clear()
        self._compiled = False

    def _current_index(self) -> _Index | None:
        if not self._compiled:
            try:
                self._index = compile_index(self)
            except Unsupported:
                self._index = None
            self._compiled = True
        return self._index

    def match(self, doc: Doc):  # type: ignore[override]
        index = self._current_index()
        if index is None:
            return super().match(doc)
        rows = doc.to_array(list(_ARRAY_ATTRS)).tolist() if len(doc) else []
        return sorted(index.matches(rows))

    def set_annotations(self, doc: Doc, matches) -> None:  # type: ignore[override]
        for attr_id, _, start, end in matches:
            offset = self.indices[attr_id]
            position = (start if offset >= 0 else end) + offset
            if not start <= position < end:
                return super().set_annotations(doc, matches)  # spaCy's own error message
            set_token_attrs(doc[position], self.attrs[attr_id])


@Language.factory("kg_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def use_indexed_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Swap the pipeline's attribute ruler for the indexed one when every pattern
    compiles (same annotations, faster); returns whether it was swapped."""
    if name not in nlp.pipe_names:
        return False
    original = nlp.get_pipe(name)
    if type(original) is not AttributeRuler:
        return False
    try:
        compile_index(original)
    except Unsupported:
        return False
    patterns = original.patterns
    replacement = nlp.replace_pipe(name, "kg_attribute_ruler")
    replacement.add_patterns(patterns)  # type: ignore[attr-defined]
    return True

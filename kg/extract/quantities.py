"""Read reported amounts: "59", "some 175", "at least five", "10–15", "hundreds".

:func:`parse_quantity` reads the amount at the start of a figure phrase (after
determiners such as "the" or "all"; the measure noun that may follow is
ignored).  :func:`find_quantity` finds the first amount inside a longer string
and returns its character span.  Word lists live in ``kg/data/numbers.json``
and ``kg/data/quantity_words.json``.

Conventions (a :class:`~kg.records.Quantity` is value / min / max / approximate):

* exact amount: ``value`` only -- "59", "1,000", "twenty-one", "a dozen",
  "two dozen", "one hundred and twenty", "2.5 million", "no one" (0).
* approximate amount: ``value`` and ``approximate`` -- "about 1,000",
  "some 175", "an estimated 500", "roughly", "around", "100 or so", "50-odd".
* "nearly", "almost", "close to", "just under", "up to about" N:
  value N, max N, approximate.
* "just over", "slightly more than" N: value N, min N, approximate.
* lower bounds -- "at least", "more than", "over", "upwards of", "in excess
  of", "N or more", "N+" -- give min N and no value.  Strictness is not
  representable, so "more than 100" is min 100, exactly like "at least 100".
* upper bounds -- "up to", "at most", "no more than", "fewer than", "less
  than", "under", "as many as", "N or fewer" -- give max N and no value.
* ranges -- "10–15", "10-15", "10 to 15", "between 10 and 15", "from 10 to
  15", "10 or 15", "five to six" -- give min and max and no value.  A scale
  word after the second number applies to the first: "2 to 3 million" is
  2,000,000..3,000,000.  When the first number is the larger ("3-1") it is no
  range: only the first number is read.
* vague amounts are approximate with no value and, where the word implies
  one, a minimum: the smallest count the plural allows -- "dozens" 24,
  "hundreds" 200, "thousands" 2,000, "tens of thousands" 20,000, "hundreds of
  thousands" 200,000, "scores of" 40, "several" 3, "a few" and "a handful" 2,
  "several hundred" 300, "a few thousand" 2,000, "many thousands" 2,000.
  "some", "many", "few", "numerous", "a number of" carry no number:
  ``Quantity(approximate=True)``.  No maximum is inferred for a vague amount.
* a decimal that is not whole after its scale ("2.5") is rounded half up and
  marked approximate.
* abbreviations such as "3m" or "5k" are not read ("10m" is as often metres).
* numbers inside dates or clock times ("21 September", "in 2013", "4 p.m.",
  "4:00", "21st") or glued to letters ("AK-47", "G20") are not amounts.
* :func:`find_quantity` skips amounts that carry no number at all ("some",
  "many"): as bare determiners they are too common in running text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping

from kg.paths import read_json
from kg.records import Quantity

__all__ = ["parse_quantity", "find_quantity"]

_MAX_DIGITS = 18  # longer digit runs are identifiers, not reported amounts
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

_TOKEN_RE = re.compile(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<word>[^\W\d_]+)"
    rf"|(?P<dash>[{_DASHES}])"
    r"|(?P<punct>\S)"
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Table:
    """Phrases (tuples of lower-case words) mapped to values; longest first."""

    entries: Mapping[tuple[str, ...], Any]
    longest: int


@dataclass(frozen=True)
class _Lexicon:
    units: Mapping[str, int]
    tens: Mapping[str, int]
    hundred: Mapping[str, int]
    scales: Mapping[str, int]
    counted: Mapping[str, int]
    plural: Mapping[str, int]
    one: frozenset[str]
    half: frozenset[str]
    joiners: frozenset[str]
    of_words: frozenset[str]
    zero: _Table
    pairs: _Table
    vague: _Table
    modifiers: _Table
    suffixes: _Table
    determiners: _Table
    hyphen_suffixes: Mapping[str, str]
    range_joiners: Mapping[str, frozenset[str]]

    def multiplier(self, word: str) -> int | None:
        """The value of a scale word that may follow a number ("hundred", "dozen")."""
        for table in (self.hundred, self.scales, self.counted):
            if word in table:
                return table[word]
        return None


def _table(entries: Mapping[str, Any] | list[str], default: Any = True) -> _Table:
    items = entries.items() if isinstance(entries, Mapping) else ((e, default) for e in entries)
    keys = {tuple(phrase.split()): value for phrase, value in items}
    return _Table(MappingProxyType(keys), max((len(k) for k in keys), default=0))


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    num, words = read_json("numbers.json"), read_json("quantity_words.json")
    pairs = {phrase: (value, approximate) for phrase, (value, approximate) in num["pairs"].items()}
    return _Lexicon(
        units=_frozen(num["units"]),
        tens=_frozen(num["tens"]),
        hundred=_frozen(num["hundred"]),
        scales=_frozen(num["scales"]),
        counted=_frozen(num["counted"]),
        plural=_frozen(num["plural_scales"]),
        one=frozenset(num["one_words"]),
        half=frozenset(num["half_words"]),
        joiners=frozenset(num["joiners"]),
        of_words=frozenset(num["of_words"]),
        zero=_table(num["zero_phrases"], 0),
        pairs=_table(pairs),
        vague=_table(words["vague"]),
        modifiers=_table(words["modifiers"]),
        suffixes=_table(words["suffixes"]),
        determiners=_table(words["determiners"]),
        hyphen_suffixes=_frozen(words["hyphen_suffixes"]),
        range_joiners=_frozen({k: frozenset(v) for k, v in words["range_joiners"].items()}),
    )


@lru_cache(maxsize=1)
def _date_re() -> re.Pattern[str]:
    """Dates and clock times whose numbers are not amounts."""
    times = read_json("time_words.json")
    names = sorted({*times["months"], *times["month_abbreviations"]}, key=len, reverse=True)
    preps = "|".join(map(re.escape, read_json("quantity_words.json")["year_prepositions"]))
    month = rf"\b(?:{'|'.join(names)})\b\.?"
    day = r"\b[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9])"
    year = r"[0-9]{4}(?![0-9])"
    patterns = (
        rf"{month}\s+{day}(?:,?\s+{year})?",
        rf"{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?",
        rf"{month},?\s+{year}",
        rf"\b(?:{preps})[\s-]+(?:the\s+(?:year\s+)?)?(?:18|19|20)[0-9]{{2}}(?![0-9]|,[0-9])",
        r"\b[0-9]{1,2}(?:[:.][0-9]{2})?\s*[ap]\.?m\b\.?",
        r"\b[0-9]{1,2}\s*o'clock",
        r"\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b",
    )
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Tok:
    text: str  # lower-cased
    start: int
    end: int
    kind: str  # num, word, dash, punct
    free: bool = True  # a number usable as an amount


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the number text[start:end] is part of a code, ordinal, time or version."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    if before.isalnum() or after.isalnum() or before in "/:" or after in "/:":
        return True
    if after in ".," and after2.isdigit():
        return True
    before2 = text[start - 2] if start >= 2 else " "
    return (before == "." and before2.isdigit()) or (before in _DASHES and before2.isalpha())


def _tokens(text: str) -> list[_Tok]:
    blocked = [m.span() for m in _date_re().finditer(text)]
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        free = True
        if m.lastgroup == "num":
            inside = any(a < end and start < b for a, b in blocked)
            free = not inside and not _glued(text, start, end)
        tokens.append(_Tok(m.group().lower(), start, end, m.lastgroup or "punct", free))
    return tokens


def _word(toks: list[_Tok], i: int) -> str:
    return toks[i].text if i < len(toks) and toks[i].kind == "word" else ""


def _is_dash(toks: list[_Tok], i: int) -> bool:
    return i < len(toks) and toks[i].kind == "dash"


def _adjacent(toks: list[_Tok], i: int) -> bool:
    """Whether token i directly touches token i + 1 (no space between)."""
    return i + 1 < len(toks) and toks[i].end == toks[i + 1].start


def _match(toks: list[_Tok], i: int, table: _Table) -> tuple[int, Any] | None:
    """The longest phrase of the table at token i: (index after it, its value)."""
    for n in range(min(table.longest, len(toks) - i), 0, -1):
        key = tuple(_word(toks, k) for k in range(i, i + n))
        if key in table.entries:
            return i + n, table.entries[key]
    return None


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class _Num:
    value: Decimal
    scale: int = 1  # the trailing scale word's multiplier ("15 thousand" -> 1000)


def _to_quantity(num: _Num) -> Quantity:
    whole = num.value.to_integral_value(ROUND_HALF_UP)
    return Quantity(value=int(whole), approximate=whole != num.value)


def _scale_run(toks: list[_Tok], j: int, lex: _Lexicon) -> tuple[int, int]:
    """Scale words after a number: "million", "hundred thousand", "dozen"."""
    product = 1
    while (m := lex.multiplier(_word(toks, j))) is not None and m > product:
        product, j = product * m, j + 1
    return j, product


def _digits(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, _Num] | None:
    raw = toks[i].text.replace(",", "")
    if not toks[i].free or len(raw.split(".")[0]) > _MAX_DIGITS:
        return None
    j, scale = _scale_run(toks, i + 1, lex)
    return j, _Num(Decimal(raw) * scale, scale)


def _small(toks: list[_Tok], j: int, lex: _Lexicon) -> tuple[int, int] | None:
    """A number below a hundred: "seven", "twenty", "twenty-one", "forty two"."""
    word = _word(toks, j)
    if word in lex.units:
        return j + 1, lex.units[word]
    if word not in lex.tens:
        return None
    value, k = lex.tens[word], j + 1
    hyphenated = _is_dash(toks, k) and _adjacent(toks, j) and _adjacent(toks, k)
    unit = _word(toks, k + 1) if hyphenated else _word(toks, k)
    if 1 <= lex.units.get(unit, 0) <= 9:
        return (k + 2 if hyphenated else k + 1), value + lex.units[unit]
    if hyphenated and unit not in lex.hyphen_suffixes:
        return None  # "twenty-first", "thirty-year": not a plain number
    return k, value


def _after_hundred(toks: list[_Tok], k: int, value: int, lex: _Lexicon) -> tuple[int, int]:
    """The optional "and twenty" after "one hundred"."""
    start = k + 1 if _word(toks, k) in lex.joiners else k
    rest = _small(toks, start, lex)
    if rest is None or lex.multiplier(_word(toks, rest[0])) in (100, *lex.counted.values()):
        return k, value  # "between one hundred and two hundred"
    return rest[0], value + rest[1]


def _group(toks: list[_Tok], j: int, lex: _Lexicon) -> tuple[int, int] | None:
    """A number below a thousand: "five", "a hundred", "one hundred and six", "two dozen"."""
    if _word(toks, j) in lex.one:
        following = _word(toks, j + 1)
        if following in lex.scales:
            return j + 1, 1
        if following not in lex.hundred and following not in lex.counted:
            return None
        small: tuple[int, int] | None = (j + 1, 1)
    else:
        small = _small(toks, j, lex)
    if small is None:
        return None
    k, value = small
    word = _word(toks, k)
    if word in lex.counted:
        return k + 1, value * lex.counted[word]
    if word in lex.hundred:
        return _after_hundred(toks, k + 1, value * lex.hundred[word], lex)
    return k, value


def _half(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, _Num] | None:
    """ "half a dozen", "half a million"."""
    if _word(toks, i) not in lex.half or _word(toks, i + 1) not in lex.one:
        return None
    scale = lex.multiplier(_word(toks, i + 2))
    return None if scale is None else (i + 3, _Num(Decimal(scale) / 2, scale))


def _skip_joiner(toks: list[_Tok], j: int, lex: _Lexicon) -> int:
    """Skip "and" before a last group ("three thousand and six")."""
    if _word(toks, j) not in lex.joiners:
        return j
    group = _group(toks, j + 1, lex)
    if group is None or _word(toks, group[0]) in lex.scales:
        return j
    return j + 1


def _words(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, _Num] | None:
    """A number in words: "three thousand five hundred", "a million"."""
    half = _half(toks, i, lex)
    if half is not None:
        return half
    total, j, limit = 0, i, 0
    while (group := _group(toks, j, lex)) is not None:
        k, value = group
        scale = lex.scales.get(_word(toks, k))
        if scale is None:
            total, j = total + value, k
            break
        if limit and scale >= limit:
            break
        total, limit, j = total + value * scale, scale, k + 1
        j = _skip_joiner(toks, j, lex)
    return None if j == i else (j, _Num(Decimal(total), limit or 1))


def _number(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, _Num] | None:
    if i >= len(toks):
        return None
    if toks[i].kind == "num":
        return _digits(toks, i, lex)
    return _words(toks, i, lex) if toks[i].kind == "word" else None


# --------------------------------------------------------------------------- amounts

_Amount = tuple[int, Quantity, _Num | None]  # (index after, quantity, number if exact)


def _plural_chain(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, int] | None:
    """ "hundreds", "tens of thousands": (index after, product of the scales)."""
    word = _word(toks, i)
    if word not in lex.plural:
        return None
    product, last, j = lex.plural[word], lex.plural[word], i + 1
    while _word(toks, j) in lex.of_words and lex.plural.get(_word(toks, j + 1), 0) > last:
        last = lex.plural[_word(toks, j + 1)]
        product, j = product * last, j + 2
    return j, product


def _scale_tail(toks: list[_Tok], j: int, lex: _Lexicon) -> tuple[int, int] | None:
    """A scale after a vague word: "(several) hundred", "(many) thousands of"."""
    chain = _plural_chain(toks, j, lex)
    if chain is not None:
        return chain
    k, product = _scale_run(toks, j, lex)
    return (k, product) if product > 1 else None


def _vague(toks: list[_Tok], i: int, lex: _Lexicon) -> _Amount | None:
    found = _match(toks, i, lex.vague)
    if found is not None:
        j, low = found
        tail = _scale_tail(toks, j, lex)
        if tail is None:
            return j, Quantity(min=low, approximate=True), None
        return tail[0], Quantity(min=(low or 2) * tail[1], approximate=True), None
    chain = _plural_chain(toks, i, lex)
    if chain is None:
        return None
    return chain[0], Quantity(min=2 * chain[1], approximate=True), None


def _amount(toks: list[_Tok], i: int, lex: _Lexicon) -> _Amount | None:
    """One amount, without modifiers: a number, "no one", "a couple", "hundreds"."""
    zero = _match(toks, i, lex.zero)
    if zero is not None:
        return zero[0], Quantity(value=0), _Num(Decimal(0))
    pair = _match(toks, i, lex.pairs)
    if pair is not None:
        j, (value, approximate) = pair
        return j, Quantity(value=value, approximate=approximate), None
    number = _number(toks, i, lex)
    if number is not None:
        return number[0], _to_quantity(number[1]), number[1]
    return _vague(toks, i, lex)


def _connector(toks: list[_Tok], j: int, joiners: frozenset[str]) -> int | None:
    if _is_dash(toks, j) or _word(toks, j) in joiners:
        return j + 1
    return None


def _range_tail(
    toks: list[_Tok], j: int, first: _Num, joiners: frozenset[str], lex: _Lexicon
) -> tuple[int, Quantity] | None:
    """ "– 15", "to 15", "or 15", "and 3 million" after a first number."""
    k = _connector(toks, j, joiners)
    second = None if k is None else _number(toks, k, lex)
    if second is None:
        return None
    end, last = second
    low = first.value
    if first.scale == 1 and last.scale > 1 and low * last.scale <= last.value:
        low *= last.scale  # "2 to 3 million"
    a, b = _to_quantity(_Num(low)), _to_quantity(last)
    if a.value is None or b.value is None or a.value > b.value:
        return None
    return end, Quantity(min=a.value, max=b.value, approximate=a.approximate or b.approximate)


def _suffix(toks: list[_Tok], j: int, lex: _Lexicon) -> tuple[int, str] | None:
    """ "or more", "or so", "+", "-odd" after a number: (index after, modifier kind)."""
    if j < len(toks) and toks[j].text == "+" and _adjacent(toks, j - 1):
        return j + 1, "lower"
    if _is_dash(toks, j) and _adjacent(toks, j) and _word(toks, j + 1) in lex.hyphen_suffixes:
        return j + 2, lex.hyphen_suffixes[_word(toks, j + 1)]
    return _match(toks, j, lex.suffixes)


def _apply(kind: str, q: Quantity) -> Quantity:
    """Apply a modifier kind (see the module docstring) to a quantity."""
    n = q.value
    if kind == "lower":
        return Quantity(min=q.min if n is None else n, approximate=q.approximate)
    if kind == "upper":
        high = q.max if n is None else n
        return Quantity(max=high, approximate=q.approximate or high is None)
    if n is None:
        return replace(q, approximate=True)
    low, high = (n if kind == "floor" else None), (n if kind == "ceiling" else None)
    return Quantity(value=n, min=low, max=high, approximate=True)


def _core(
    toks: list[_Tok], i: int, lex: _Lexicon, joiners: frozenset[str]
) -> tuple[int, Quantity] | None:
    """An amount or range with an optional suffix ("10 or more", "10-15")."""
    amount = _amount(toks, i, lex)
    if amount is None:
        return None
    j, q, num = amount
    if num is None:
        return j, q
    ranged = None if _suffix(toks, j, lex) else _range_tail(toks, j, num, joiners, lex)
    if ranged is not None:
        j, q = ranged
    suffix = _suffix(toks, j, lex)
    return (suffix[0], _apply(suffix[1], q)) if suffix else (j, q)


def _bounded_range(
    toks: list[_Tok], i: int, lex: _Lexicon, joiners: frozenset[str]
) -> tuple[int, Quantity] | None:
    """The range after "between" or "from"."""
    amount = _amount(toks, i, lex)
    if amount is None or amount[2] is None:
        return None
    return _range_tail(toks, amount[0], amount[2], joiners, lex)


def _expression(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, Quantity] | None:
    """A whole amount expression starting at token i: (index after, quantity)."""
    default = lex.range_joiners["default"]
    found = _match(toks, i, lex.modifiers)
    if found is not None:
        j, kind = found
        if kind in ("between", "from"):
            result = _bounded_range(toks, j, lex, lex.range_joiners[kind])
        else:
            core = _core(toks, j, lex, default)
            result = None if core is None else (core[0], _apply(kind, core[1]))
        if result is not None:
            return result
    return _core(toks, i, lex, default)


def _informative(q: Quantity) -> bool:
    return q.value is not None or q.min is not None or q.max is not None


def _first(toks: list[_Tok], lex: _Lexicon) -> tuple[int, int, Quantity] | None:
    for i in range(len(toks)):
        found = _expression(toks, i, lex)
        if found is not None and _informative(found[1]):
            return toks[i].start, toks[found[0] - 1].end, found[1]
    return None


# --------------------------------------------------------------------------- API


def parse_quantity(text: str) -> Quantity | None:
    """The amount a figure phrase starts with ("the 59 people" -> 59), else None.

    Leading determiners ("the", "all", "a total of") are skipped; when the
    phrase does not start with an amount, the first amount found inside it is
    returned (see :func:`find_quantity`).
    """
    toks, lex = _tokens(text), _lexicon()
    i = 0
    while i < len(toks):
        found = _expression(toks, i, lex)
        if found is not None:
            return found[1]
        determiner = _match(toks, i, lex.determiners)
        if determiner is None:
            break
        i = determiner[0]
    first = _first(toks, lex)
    return None if first is None else first[2]


def find_quantity(tokens_text: str) -> tuple[int, int, Quantity] | None:
    """The first amount in a string: (start_char, end_char, quantity), else None.

    "Lenku said 59 people have been killed" -> the span of "59"; "some 175
    injured" -> the span of "some 175".  Amounts without any number ("some",
    "many") are skipped.
    """
    return _first(_tokens(tokens_text), _lexicon())

"""Bytes to text, and newlines normalised.

Decoding: BOM (UTF-8, UTF-16, UTF-32) wins; then strict UTF-8 (a valid UTF-8
file is text even if it contains NUL bytes, which are then dropped); then, for
HTML, a ``<meta charset>`` declaration; then charset_normalizer restricted to
the legacy web encodings, preferring windows-1252 when it fits as well as the
best guess. Bytes that are not UTF-8 and contain NULs, or that no encoding
explains, are "not a text file".

Text normalisation (every format): NUL characters are dropped, then "\\r\\n"
and "\\r" become "\\n". Nothing else is changed, so the character offsets of
later stages refer to ``Article.text`` as given.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from kg.ingest.articles import Skip

__all__ = ["BOMS", "clean", "decode"]

# Legacy encodings of the WHATWG Encoding Standard (no UTF-16/32 without BOM,
# no DOS or Mac code pages: they win charset_normalizer's guesses on short
# Western text far more often than they are right).
_LEGACY_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
    "cp1257", "cp1258", "cp874", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u",
    "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)  # fmt: skip
BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def clean(text: str) -> str:
    """Drop NUL characters, then normalise newlines to "\\n"."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, *, html: bool = False) -> str:
    """Bytes to text (see the module docstring); raises Skip for binary data."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_strict(data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise Skip("not a text file (binary data)")
    declared = _declared_charset(data) if html else None
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return _decode_legacy(data)


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise Skip(f"not a text file (invalid {encoding.upper()} after its byte order mark)") from None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name  # as browsers do


def _decode_legacy(data: bytes) -> str:
    matches = from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS))
    best = matches.best()
    if best is None:
        raise Skip("not a text file (no text encoding fits its bytes)")
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252")
    return str(best)

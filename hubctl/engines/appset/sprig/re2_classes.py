"""Character classes for the RE2 translator: POSIX and Perl classes as Go defines them (ASCII), and Unicode
general categories (\\pL, \\p{Lu}) expanded to ranges from Python's Unicode database."""

from __future__ import annotations

import sys
import unicodedata

POSIX = {"alpha": "A-Za-z", "digit": "0-9", "alnum": "0-9A-Za-z", "upper": "A-Z", "lower": "a-z",
         "space": r"\t\n\v\f\r ", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f", "word": "0-9A-Za-z_",
         "blank": r"\t ", "cntrl": r"\x00-\x1f\x7f", "graph": r"!-~", "print": r" -~", "ascii": r"\x00-\x7f"}
PERL = {"d": "0-9", "s": r"\t\n\f\r ", "w": "0-9A-Za-z_"}
WORD = "[0-9A-Za-z_]"  # Go's \b and \B look at ASCII word characters only
_CATEGORY_CACHE: dict[str, str] = {}


def category_ranges(name: str, pattern: str) -> str:
    """The ranges of a Unicode general category (L, Lu, N...), as class content."""
    if name == "Any":
        return r"\x00-\U0010ffff"
    cached = _CATEGORY_CACHE.get(name)
    if cached is None:
        if name not in _CATEGORIES:
            raise ValueError(pattern)
        parts, start = [], None
        for cp in range(sys.maxunicode + 2):
            inside = cp <= sys.maxunicode and unicodedata.category(chr(cp)).startswith(name)
            if inside and start is None:
                start = cp
            elif not inside and start is not None:
                parts.append(f"\\U{start:08x}" + (f"-\\U{cp - 1:08x}" if cp - 1 > start else ""))
                start = None
        cached = _CATEGORY_CACHE[name] = "".join(parts)
    return cached


_CATEGORIES = {"C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd",
               "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl",
               "Zp", "Zs"}

"""Sprig's semver and semverCompare over Masterminds/semver v3.4.0 (version.go, constraints.go).

NewVersion runs with the package defaults CoerceNewVersion=true: the loose pattern, leading zeros allowed,
a missing minor or patch read as 0. Constraints follow v3.4.0: a prerelease version only satisfies an AND
group when one of the group's constraints names a prerelease.
"""

from __future__ import annotations

import re

from hubctl.engines.appset.gotmpl.funcs import FuncError, registry

FUNCS, fn = registry()

_LOOSE = re.compile(r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
                    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
_UINT64_MAX = 2**64 - 1


class Version:
    """A *semver.Version: prints as String(); its accessor methods are reachable as template fields."""

    GO_TYPE = "*semver.Version"
    __slots__ = ("major", "minor", "patch", "pre", "metadata", "original")

    def __init__(self, major: int, minor: int, patch: int, pre: str, metadata: str, original: str):
        self.major, self.minor, self.patch = major, minor, patch
        self.pre, self.metadata, self.original = pre, metadata, original

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + self.pre
        if self.metadata:
            text += "+" + self.metadata
        return text

    def go_json(self) -> str:
        """MarshalJSON: the version's String() as a JSON string."""
        import json

        return json.dumps(str(self))

    def go_field(self, name: str):
        """The zero-argument methods a template can call: .Major, .Prerelease, .Original, .String..."""
        getters = {"Major": self.major, "Minor": self.minor, "Patch": self.patch, "Prerelease": self.pre,
                   "Metadata": self.metadata, "Original": self.original, "String": str(self)}
        if name not in getters:
            raise KeyError(name)
        return getters[name]

    def compare(self, other: Version) -> int:
        for mine, theirs in ((self.major, other.major), (self.minor, other.minor), (self.patch, other.patch)):
            if mine != theirs:
                return -1 if mine < theirs else 1
        if not self.pre and not other.pre:
            return 0
        if not self.pre:
            return 1
        if not other.pre:
            return -1
        return compare_prerelease(self.pre, other.pre)


def _parse_uint(text: str) -> int:
    value = int(text)
    if value > _UINT64_MAX:
        raise FuncError(f'error parsing version segment: strconv.ParseUint: parsing "{text}": value out of range')
    return value


def new_version(text: str) -> Version:
    """semver.NewVersion (coercing).

    Raises:
        FuncError: with the library's error text.
    """
    m = _LOOSE.fullmatch(text)
    if m is None:
        raise FuncError("invalid semantic version")
    major = _parse_uint(m.group(1))
    minor = _parse_uint(m.group(2)[1:]) if m.group(2) else 0
    patch = _parse_uint(m.group(3)[1:]) if m.group(3) else 0
    pre, metadata = m.group(5) or "", m.group(8) or ""
    for part in pre.split(".") if pre else ():
        if part.isdigit() and len(part) > 1 and part[0] == "0":
            raise FuncError("version segment starts with 0")
    return Version(major, minor, patch, pre, metadata, text)


def _is_uint(text: str) -> bool:
    return text.isascii() and text.isdigit() and int(text) <= _UINT64_MAX


def _compare_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if o == "":
        return 1 if _is_uint(s) else -1
    if s == "":
        return -1 if _is_uint(o) else 1
    s_num, o_num = _is_uint(s), _is_uint(o)
    if not s_num and not o_num:
        return 1 if s > o else -1
    if not s_num:
        return 1
    if not o_num:
        return -1
    return 1 if int(s) > int(o) else -1


def compare_prerelease(a: str, b: str) -> int:
    ap, bp = a.split("."), b.split(".")
    for i in range(max(len(ap), len(bp))):
        d = _compare_part(ap[i] if i < len(ap) else "", bp[i] if i < len(bp) else "")
        if d:
            return d
    return 0


# -- constraints -----------------------------------------------------------------------------------------
_CV = (r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
       r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_S = r"[\t\n\f\r ]"  # RE2's \s
_CONSTRAINT = re.compile(rf"^{_S}*({_OPS}){_S}*({_CV}){_S}*\Z")
_RANGE = re.compile(rf"{_S}*({_CV}){_S}+-{_S}+({_CV}){_S}*")
_FIND = re.compile(rf"({_OPS}){_S}*({_CV})")
_VALID = re.compile(rf"^({_S}*({_OPS}){_S}*({_CV}){_S}*)((?:{_S}+|,{_S}*)({_OPS}){_S}*({_CV}){_S}*)*\Z")


class _Constraint:
    __slots__ = ("con", "op", "dirty", "minor_dirty", "patch_dirty")

    def __init__(self, text: str):
        self.minor_dirty = self.patch_dirty = False
        if not text:
            self.con, self.op, self.dirty = Version(0, 0, 0, "", "", "0.0.0"), "", True
            return
        m = _CONSTRAINT.match(text)
        if m is None:
            raise FuncError(f"improper constraint: {text}")
        self.op, ver, self.dirty = m.group(1), m.group(2), False
        major, minor, patch, pre = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
        if _is_x(major):
            ver, self.dirty = "0.0.0" + pre, True
        elif _is_x(minor[1:]) or not minor:
            ver, self.dirty, self.minor_dirty = f"{major}.0.0{pre}", True, True
        elif _is_x(patch[1:]) or not patch:
            ver, self.dirty, self.patch_dirty = f"{major}{minor}.0{pre}", True, True
        try:
            self.con = new_version(ver)
        except FuncError:
            raise FuncError("constraint parser error") from None

    def check(self, v: Version, include_pre: bool) -> bool:
        if v.pre and not include_pre:
            return False
        return _OPERATORS[self.op](v, self)


def _is_x(text: str) -> bool:
    return text in ("x", "X", "*")


def _greater(v: Version, c: _Constraint) -> bool:
    if not c.dirty or v.major != c.con.major:
        return v.major > c.con.major if c.dirty else v.compare(c.con) == 1
    if c.minor_dirty:
        return False
    if c.patch_dirty:
        return v.minor > c.con.minor
    return v.compare(c.con) == 1


def _less_equal(v: Version, c: _Constraint) -> bool:
    if not c.dirty:
        return v.compare(c.con) <= 0
    if v.major > c.con.major:
        return False
    return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)


def _tilde(v: Version, c: _Constraint) -> bool:
    if v.compare(c.con) < 0:
        return False
    con = c.con
    if con.major == con.minor == con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    return v.major == con.major and (v.minor == con.minor or c.minor_dirty)


def _caret(v: Version, c: _Constraint) -> bool:
    con = c.con
    if v.compare(con) < 0:
        return False
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return v.patch == con.patch


def _not_equal(v: Version, c: _Constraint) -> bool:
    if c.dirty:
        if c.con.major != v.major:
            return True
        if c.con.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if c.con.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            if v.pre or c.con.pre:
                return compare_prerelease(v.pre, c.con.pre) != 0
            return False
    return v.compare(c.con) != 0


_OPERATORS = {
    "": lambda v, c: _tilde(v, c) if c.dirty else v.compare(c.con) == 0,
    "!=": _not_equal, ">": _greater, "<": lambda v, c: v.compare(c.con) < 0,
    ">=": lambda v, c: v.compare(c.con) >= 0, "<=": _less_equal, "~": _tilde, "^": _caret,
}
_OPERATORS.update({"=": _OPERATORS[""], "=>": _OPERATORS[">="], "=<": _OPERATORS["<="], "~>": _tilde})


def _rewrite_range(text: str) -> str:
    out = text
    for m in _RANGE.finditer(text):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)}", 1)
    return out


def new_constraint(text: str) -> list[tuple[list[_Constraint], bool]]:
    """semver.NewConstraint: OR groups of AND constraints, each group with its has-prerelease flag."""
    groups = []
    for part in _rewrite_range(text).split("||"):
        if not _VALID.match(part):
            raise FuncError(f"improper constraint: {part}")
        found = [m.group(0) for m in _FIND.finditer(part)] or [part]
        group = [_Constraint(s) for s in found]
        groups.append((group, any(c.con.pre for c in group)))
    return groups


@fn("semver", "str")
def semver(version):
    return new_version(version)


@fn("semverCompare", "str", "str")
def semver_compare(constraint, version):
    groups = new_constraint(constraint)
    v = new_version(version)
    return any(all(c.check(v, has_pre) for c in group) for group, has_pre in groups)

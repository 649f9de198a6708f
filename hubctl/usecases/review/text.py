"""`hubctl diff` for a terminal: styled lines (style, text); the CLI colours them only on a TTY."""

from __future__ import annotations

from hubctl.usecases.review import words
from hubctl.usecases.review.core import Review

Line = tuple[str, str]  # (style, text): title, heading, add, del, hunk, meta, warn or ""


def diff_lines(diff: str, indent: str = "    ") -> list[Line]:
    out = []
    for line in diff.splitlines():
        if line.startswith(("+++ ", "--- ")):
            style = "meta"
        elif line.startswith("@@"):
            style = "hunk"
        else:
            style = {"+": "add", "-": "del"}.get(line[:1], "")
        out.append((style, indent + line))
    return out


def _risk(review: Review) -> list[Line]:
    out: list[Line] = [("heading", "Risk")]
    for label, value in words.summary_rows(review):
        warn = (label == "deletions" and review.prune.over) or (label == "permissions widened" and value != "none")
        out.append(("warn" if warn else "", f"  {label}: {value}"))
        if label == "permissions widened":
            out += [("warn", f"    ! {words.widening(w)}") for w in review.risk.widened]
    return out


def _placements(review: Review) -> list[Line]:
    if not review.placements:
        return []
    added, removed = review.applications
    out: list[Line] = [("", ""), ("heading", f"Placement: +{added} -{removed} Applications")]
    for delta in review.placements:
        out.append(("", f"  {delta.flow} ({delta.space}) {delta.change}"))
        out += [("add" if sign == "+" else "del", f"    {sign} {where}: {reason}")
                for sign, where, reason in words.placement_lines(delta)]
    return out


def _versions(review: Review) -> list[Line]:
    if not review.versions:
        return []
    flows = len({(c.space, c.flow) for c in review.versions})
    return [("", ""), ("heading", f"Versions: {words.plural(flows, 'flow')}")] + [
        ("", f"  {words.version_line(change)}") for change in review.versions]


def _hub(review: Review, stat: bool) -> list[Line]:
    if not review.hub:
        return []
    out: list[Line] = [("", ""), ("heading", f"Hub: {words.hub_phrase(review)}")]
    signs = {"added": "+", "removed": "-", "changed": "~"}
    for change in review.hub:
        out.append(("", f"  {signs[change.change]} {words.HUB_WORDS[change.kind]} {change.name} "
                        f"(+{change.added} -{change.removed})"))
        if not stat:
            out += diff_lines(words.shown_diff(change.diff, change.change))
    return out


def _manifests(review: Review, stat: bool) -> list[Line]:
    if not review.groups:
        return []
    out: list[Line] = [("", ""), ("heading", f"Manifests: {words.manifests_phrase(review.groups)}")]
    for group in review.groups:
        out.append(("", f"  {words.group_title(group)}"))
        if not stat:
            out += diff_lines(words.shown_diff(group.diff, group.change))
    return out


def _unrendered(review: Review) -> list[Line]:
    if not review.unrendered:
        return []
    lines = [("warn", f"{len(review.unrendered)} file(s) in the head's render directory that its render does not "
                      "produce (planted or stale; Argo CD may apply them):")]
    return lines + [("warn", f"  ? {path}") for path in review.unrendered] + [("", "")]


def review_lines(review: Review, *, stat: bool = False) -> list[Line]:
    """The whole review for a terminal: title, risk summary, placement, source versions, hub, then folded
    manifest diffs."""
    lines: list[Line] = [("title", words.title(review))]
    if not review.changed:
        return lines + [("", "no changes: both sides render the same files")]
    lines += [("", "")] + _unrendered(review) + _risk(review) + _placements(review) + _versions(review)
    lines += _hub(review, stat)
    lines += _manifests(review, stat)
    return lines

"""`hubctl diff -o markdown`: a pull-request comment. Summary table first, a collapsible block per hub object
and per folded manifest group, cut below GitHub's 65,536-character comment limit with a note."""

from __future__ import annotations

import re

from hubctl.usecases.review import words
from hubctl.usecases.review.core import Review

LIMIT = 60_000  # GitHub rejects comments over 65,536 characters; keep room for what CI wraps around
BLOCK_LIMIT = 12_000  # one diff block at most, so one huge file cannot hide every other change
NOTE_ROOM = 400


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(diff: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", diff)), default=0)
    return "`" * max(3, longest + 1)


def _clip(diff: str, limit: int = BLOCK_LIMIT) -> str:
    if len(diff) <= limit:
        return diff
    kept = diff[:limit].rsplit("\n", 1)[0] + "\n"
    more = diff.count("\n") - kept.count("\n")
    return kept + f"... ({words.plural(more, 'more line')} not shown)\n"


def details(summary: str, diff: str) -> str:
    body = _clip(diff)
    fence = _fence(body)
    return f"<details><summary>{_cell(summary)}</summary>\n\n{fence}diff\n{body}{fence}\n\n</details>\n"


def _head(review: Review) -> list[str]:
    out = [f"### {words.title(review)}\n"]
    prune = review.prune
    if prune.over:
        verdict = "accepted with `--allow-prune`" if prune.allowed else "blocked: needs `--allow-prune`"
        out.append(f"> [!CAUTION]\n> **Prune guard**: deletions {words.deletions_phrase(review)}; "
                   f"{verdict}.\n")
    out += _raised(prune)
    if review.unrendered:
        listed = "".join(f"- `{path}`\n" for path in review.unrendered[:50])
        more = f"- ... and {len(review.unrendered) - 50} more\n" if len(review.unrendered) > 50 else ""
        out.append(f"> [!WARNING]\n> **{len(review.unrendered)} file(s) in the render directory that the render does "
                   f"not produce** (planted or stale; Argo CD may apply them)\n\n{listed}{more}")
    out.append("| Risk | |\n|---|---|\n" + "".join(f"| {_cell(label)} | {_cell(value)} |\n"
                                                   for label, value in words.summary_rows(review)))
    if review.risk.widened:
        out.append("**Permissions widened**\n\n" + "".join(f"- {_cell(words.widening(w))}\n"
                                                          for w in review.risk.widened))
    if prune.deletions:
        shown = prune.deletions[:50]
        listed = "".join(f"- {d}\n" for d in shown)
        more = f"- ... and {len(prune.deletions) - 50} more\n" if len(prune.deletions) > 50 else ""
        out.append(f"<details><summary>Deletions ({len(prune.deletions)})</summary>\n\n{listed}{more}\n</details>\n")
    return out


def _raised(prune) -> list[str]:
    if not prune.raised:
        return []
    verdict = "accepted with `--allow-prune`" if prune.allowed else "blocked: needs `--allow-prune`"
    return [f"> [!CAUTION]\n> **Prune guard**: this change raises maxDeletions ({', '.join(prune.raised)}); "
            f"{verdict}.\n"]


def _placements(review: Review) -> list[str]:
    if not review.placements:
        return []
    added, removed = review.applications
    rows = [f"#### Placement: +{added} -{removed} Applications\n\n| Flow | Space | Change | Clusters | Reason |\n"
            "|---|---|---|---|---|\n"]
    for delta in review.placements:
        for sign, where, reason in words.placement_lines(delta):
            rows.append(f"| {delta.flow} | {delta.space} | {sign} | {_cell(where)} | {_cell(reason)} |\n")
    return ["".join(rows)]


def _versions(review: Review) -> list[str]:
    if not review.versions:
        return []
    rows = ["#### Versions\n\n| Flow | Space | Version | From | To | Clusters |\n|---|---|---|---|---|---|\n"]
    for c in review.versions:
        rows.append(f"| {c.flow} | {c.space} | {c.key} | {_cell(c.old)} | {_cell(c.new)} | "
                    f"{_cell(words.names(list(c.clusters)))} |\n")
    return ["".join(rows)]


def _blocks(review: Review) -> list[str]:
    out = []
    if review.hub:
        out.append(f"#### Hub: {words.hub_phrase(review)}\n")
        signs = {"added": "+", "removed": "-", "changed": "~"}
        out += [details(f"{signs[c.change]} {words.HUB_WORDS[c.kind]} {c.name} (+{c.added} -{c.removed})",
                        words.shown_diff(c.diff, c.change)) for c in review.hub]
    if review.groups:
        out.append(f"#### Manifests: {words.manifests_phrase(review.groups)}\n")
        out += [details(words.group_title(g), words.shown_diff(g.diff, g.change)) for g in review.groups]
    return out


def review_markdown(review: Review, *, stat: bool = False, limit: int = LIMIT) -> str:
    """The review as a pull-request comment, at most `limit` characters."""
    if not review.changed:
        return "\n".join([f"### {words.title(review)}\n", *_raised(review.prune),
                          "No changes: both sides render the same files.\n"])
    parts = _head(review) + _placements(review) + _versions(review) + ([] if stat else _blocks(review))
    text, used = [], 0
    for i, part in enumerate(parts):
        piece = part + "\n"
        if used + len(piece) > limit - NOTE_ROOM:
            left = len(parts) - i
            text.append(f"> [!NOTE]\n> Cut at {limit:,} characters: {words.plural(left, 'more section')} not "
                        "shown. Run `hubctl diff` locally (or `-o json`) for the whole review.\n")
            break
        text.append(piece)
        used += len(piece)
    return "".join(text).rstrip("\n") + "\n"

"""A commit plan as text and JSON."""

from __future__ import annotations

from hubctl.usecases.commit.run import CommitPlan


def plan_json(plan: CommitPlan, dry_run: bool) -> dict:
    pushed = plan.pushed
    return {
        "version": 1,
        "dry_run": dry_run,
        "repository": str(plan.target.repo_path),
        "branch": plan.target.branch,
        "prefix": plan.target.prefix,
        "parent": plan.parent,
        "commit": plan.commit,
        "nothing_to_commit": not plan.changed,
        "files": {"added": plan.added, "modified": plan.modified, "removed": plan.removed},
        "specs": {"included": plan.with_specs, "changed": plan.specs},
        "applications": {"added": plan.apps_added, "removed": plan.apps_removed},
        "message": plan.message,
        "push": None if pushed is None else {"remote": pushed.remote, "commit": pushed.commit,
                                              "attempts": pushed.attempts, "up_to_date": pushed.up_to_date},
    }


def describe(plan: CommitPlan, dry_run: bool) -> str:
    where = f"{plan.target.repo_path} {plan.target.branch}"
    if not plan.changed and plan.parent is not None:
        lines = [f"nothing to commit: {where} already holds this render"]
    elif dry_run:
        lines = [f"would commit to {where}:", "", *("    " + line for line in plan.message.splitlines())]
    else:
        lines = [f"committed {plan.commit[:12]} to {where}: {len(plan.added)} added, "
                 f"{len(plan.modified)} changed, {len(plan.removed)} removed files; "
                 f"+{len(plan.apps_added)} -{len(plan.apps_removed)} Applications"
                 + (f"; {len(plan.specs)} spec file{'s' if len(plan.specs) != 1 else ''}" if plan.specs else "")]
    if plan.pushed is not None:
        p = plan.pushed
        state = "already up to date" if p.up_to_date else f"now at {p.commit[:12]}"
        retries = f" after {p.attempts} attempts" if p.attempts > 1 else ""
        lines.append(f"pushed {plan.target.branch} to {p.remote}: {state}{retries}")
    return "\n".join(lines)

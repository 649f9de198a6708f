"""`hubctl diff`: what a change does to every cluster, before it merges."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from hubctl.cli.application import app
from hubctl.cli.options import DirOption

STYLES = {"title": "bold", "heading": "bold underline", "add": "green", "del": "red", "hunk": "cyan",
          "meta": "bold", "warn": "yellow"}


class DiffOutput(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    yaml = "yaml"


@app.command()
def diff(
    directory: Path = DirOption,
    base: str = typer.Option(None, "--base", help="Base revision (default: the merge base of HEAD with "
                             "origin/HEAD, else main, master, origin/main, origin/master)."),
    head: str = typer.Option(None, "--head", help="Head revision (default: the working tree)."),
    output: DiffOutput = typer.Option("text", "-o", "--output", help="text, markdown (a PR comment), json "
                                    "or yaml."),
    stat: bool = typer.Option(False, "--stat", help="Summary, placement and counts only: no diff texts."),
    max_deletions: int = typer.Option(None, "--max-deletions", min=0, metavar="N",
                                      help="Deletions allowed per environment (default: maxDeletions "
                                           "in hubctl.yaml)."),
    allow_prune: bool = typer.Option(False, "--allow-prune", help="Accept deletions over the limit."),
) -> None:
    """Review a change: placement delta, hub changes, manifest diffs folded across clusters, risk summary.

    Both sides are rendered in memory from Git objects (no checkout). The risk summary comes first:
    production clusters touched, spaces affected, permissions widened, deletions. An identical
    change on many clusters is shown once ("on 212 clusters"). Exit code 10 when the change deletes
    more than the prune limit of an environment allows (Applications, namespaces, clusters) and
    --allow-prune is not given; 3 when either side's specs are invalid.

    Examples:

        hubctl diff

        hubctl diff --base origin/main -o markdown > comment.md     # in CI, for the pull request

        hubctl diff --base v1.4.0 --head v1.5.0 --stat
    """
    from hubctl.cli import console
    from hubctl.usecases.render.journal import refuse_half_written_render
    from hubctl.usecases.review import review_directory
    from hubctl.usecases.review.prune import PruneGuardError

    if head is None:  # the working tree is a side: a half-written render there is refused (exit 4)
        refuse_half_written_render(directory)
    review = review_directory(directory, base=base, head=head, max_deletions=max_deletions,
                              allow_prune=allow_prune)
    for note in review.notes:
        console.info(f"note: {note}")
    _print(review, output, stat)
    if review.prune.over and review.prune.allowed:
        accepted = sum(review.prune.counts[env] for env in review.prune.over)
        plural = "s" if accepted != 1 else ""
        console.warn(f"prune guard: {accepted} deletion{plural} over the limit in {', '.join(review.prune.over)} "
                     "accepted with --allow-prune")
    if review.prune.raised and review.prune.allowed:
        console.warn(f"prune guard: raised maxDeletions ({', '.join(review.prune.raised)}) accepted with --allow-prune")
    if review.prune.blocked:
        raise PruneGuardError(review.prune)


def _print(review, output: DiffOutput, stat: bool) -> None:
    from hubctl.cli import console

    if output in (DiffOutput.json, DiffOutput.yaml):
        from hubctl.usecases.review.jsonout import review_json

        console.structured(review_json(review, stat=stat), output)
    elif output is DiffOutput.markdown:
        from hubctl.usecases.review.markdown import review_markdown

        console.data(review_markdown(review, stat=stat))
    else:
        from hubctl.usecases.review.text import review_lines

        lines = review_lines(review, stat=stat)
        if console.out().is_terminal:
            from rich.text import Text

            console.rich(Text("\n").join(Text(text, style=STYLES.get(style, "")) for style, text in lines))
        else:
            console.data("\n".join(text for _, text in lines))

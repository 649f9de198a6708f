"""Where the render may go: `spec.renderDir` is a directory inside the fleet that holds no specs.

`hubctl render` replaces and deletes files in the render directory, and `hubctl commit` replaces that
directory in Git, so a renderDir of `.`, `/`, `../x` or `flows` would let a one-line change to hubctl.yaml
(a pull request) delete the specs or files outside the repository. This check keeps the value itself
confined; hubctl.usecases.render.confine checks where it points on disk (symbolic links) before anything is written.
"""

from __future__ import annotations

from hubctl.base.constants import BLUEPRINTS_DIR, HUB_FILE, SPEC_DIRS
from hubctl.base.problems import Problem

# Top-level entries of a fleet that a render directory may neither be, nor be inside, nor contain.
SPEC_TOPS = frozenset({HUB_FILE, BLUEPRINTS_DIR, *SPEC_DIRS.values(), ".git"})
HINT = "use a relative path inside the fleet that holds no specs, such as `rendered`"


def render_dir_problem(value: str) -> str | None:
    """What is wrong with `value` as a render directory relative to the fleet root, or None when it is fine."""
    if value.startswith(("/", "\\")) or (value[1:3] in (":/", ":\\") and value[0].isalpha()):
        return f"`{value}` is an absolute path: the render directory must be inside the fleet"
    parts = [part for part in value.replace("\\", "/").split("/") if part not in ("", ".")]
    if ".." in value.replace("\\", "/").split("/"):
        return f"`{value}` contains `..`: the render directory must be inside the fleet"
    if not parts:
        return f"`{value}` is the fleet root itself: rendering there would replace the specs"
    if parts[0] == ".git":
        return f"`{value}` is inside `.git/`, Git's own directory"
    if parts[0] in SPEC_TOPS:
        return f"`{value}` overlaps `{parts[0]}`, where the specs are: the render would replace them"
    hidden = next((part for part in parts if part.startswith(".")), None)
    if hidden is not None:
        return (f"`{value}` is inside the hidden directory `{hidden}` (such as `.github`), which holds files "
                "other tools own: the render directory must be a plain directory of its own")
    return None


def repo_path_problem(value: str) -> str | None:
    """What is wrong with spec.repo.path (the render's directory in the repository the hub syncs): it must
    be a clean relative path, so that validate and commit agree on where the render goes."""
    message = render_dir_problem(value)
    if message and ("absolute" in message or "`..`" in message):
        return message
    parts = value.replace("\\", "/").split("/")
    if any(part in ("", ".") for part in parts):
        return (f"`{value}` is not a clean relative path (no `.` or empty segments, no leading or trailing "
                "`/`): write it as `dir/sub`, or leave it out for the repository's root")
    if ".git" in parts:
        return f"`{value}` names `.git`, Git's own directory"
    return None


def render_dir_problems(fleet, index) -> list[Problem]:
    """Problems with the Hub's spec.renderDir and spec.repo.path (code `render-dir`)."""
    doc = index[(fleet.hub.origin.file, fleet.hub.origin.doc)]
    out = []
    message = render_dir_problem(fleet.hub.render_dir)
    if message is not None:
        out.append(doc.problem(("spec", "renderDir"), message, HINT, "render-dir"))
    path = doc.data["spec"]["repo"].get("path")
    message = repo_path_problem(path) if isinstance(path, str) else None
    if message is not None:
        message = message.replace("the render directory must be inside the fleet",
                                  "the render's path must stay inside the repository")
        out.append(doc.problem(("spec", "repo", "path"), message, "use a path relative to the repository's root",
                               "render-dir"))
    return out

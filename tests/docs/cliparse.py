"""Does a documented command line name a real hubctl command, with options it has and no more arguments
than it takes? (For commands the docs show but the tests cannot run: CI jobs, inline code in prose.)"""

from __future__ import annotations

import shlex

from hubctl.cli import command

_ROOT = command()  # the tree users run: trailing -v/-q/--color included


def _options(node) -> dict:
    """Every option string of a command (--no-x of a --x/--no-x pair too) and its parameter."""
    return {opt: param for param in node.params
            for opt in [*param.opts, *(getattr(param, "secondary_opts", None) or [])]}


def problem(command: str) -> str | None:
    """What is wrong with `hubctl ...` (a shell-style line), or None."""
    words = shlex.split(command, comments=True)[1:]
    for end, word in enumerate(words):  # the command ends where a redirection, pipe or list begins
        if word in (">", ">>", "|", "&&", "||", ";", "2>&1"):
            words = words[:end]
            break
    # prose shorthand: --flow/--space/--cluster is three options
    words = [part for word in words for part in (word.split("/") if all(
        p.startswith("--") for p in word.split("/")) else [word])]
    node, path = _ROOT, ["hubctl"]
    options = _options(node)
    while getattr(node, "commands", None):
        while words and words[0].startswith("-") and words[0].split("=")[0] in options:  # global options
            flag = options[words.pop(0).split("=")[0]]
            if not flag.is_flag and words:
                words.pop(0)
        if words and words[0] in ("-h", "--help"):
            return None
        if not words or words[0] not in node.commands:
            return f"`{' '.join(path)}` has no command {words[0]!r}" if words else f"`{' '.join(path)}` alone"
        path.append(words[0])
        node = node.commands[words.pop(0)]
        options = _options(node)
    options.update({"-h": None, "--help": None})
    arguments, index = 0, 0
    while index < len(words):
        word = words[index]
        index += 1
        if word.startswith("-") and word != "-":
            name = word.split("=", 1)[0]
            if name not in options:
                return f"`{' '.join(path)}` has no option {name}"
            if options[name] is not None and not options[name].is_flag and "=" not in word:
                index += max(options[name].nargs, 1)  # its value(s)
        else:
            arguments += 1
    takes = [p.nargs for p in node.params if type(p).__name__.endswith("Argument")]
    if -1 not in takes and arguments > sum(takes):
        return f"`{' '.join(path)}` takes {sum(takes)} argument(s), the line gives {arguments}"
    return None

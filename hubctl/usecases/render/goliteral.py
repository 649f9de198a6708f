"""User text placed where a Go template engine evaluates it (Argo CD ApplicationSets, ESO templates)."""

from __future__ import annotations


def go_literal(text: str) -> str:
    """`text` written so that Go's text/template outputs it byte for byte.

    Every `{` becomes the action `{{"{"}}`, which prints one `{`: no `{{` can start an action, neither
    inside `text` nor where it meets a `{{` of the surrounding template (a value ending in `{`). `}}`
    outside an action is plain text for text/template, so it needs nothing. Text without `{` is unchanged.
    """
    return text.replace("{", '{{"{"}}') if "{" in text else text

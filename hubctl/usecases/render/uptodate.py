"""Knowing, without loading or rendering anything, that the output on disk is already the render.

The render is a pure function of the files the loader reads (specs and blueprints), the built-in
blueprints and hubctl itself. `inputs_key` hashes all of them; the stamp of the last render records that
key with the stat of every file written. When both still match (run.render_to_disk), `hubctl render`
has nothing to do.
"""

from __future__ import annotations

import hashlib

from hubctl.base.codekey import code_key


def inputs_key(source) -> str:
    """A hash over every file of the fleet the loader could read, and hubctl's own code."""
    from hubctl.spec.sources import RefusedFile

    digest = hashlib.sha256(code_key().encode())
    for rel in source.list():
        try:
            digest.update(rel.encode() + b"\0" + source.read(rel) + b"\0")
        except RefusedFile as exc:  # read by the loader, it is a problem it reports; if not, it is irrelevant
            digest.update(rel.encode() + b"\0" + exc.problem.message.encode() + b"\1")
    return digest.hexdigest()

"""The git blob id of every rendered file, without stamping and hashing what an earlier commit hashed.

A file stamped from a shared text has a recipe (hubctl.usecases.render.fleet.Stamper): the digest of the
text, with hubctl's code key, and the cluster stamped in. Equal recipes mean equal bytes, so a recipe
names one blob id for good. The ids hashed for recipes are kept in the user's cache (authenticated like
every hubctl cache, hubctl.base.cachefile): after a one-flow change at 4,000 clusters a commit makes and
hashes the files of that flow, not 1.2 GB. A file without a recipe is always hashed; a missing, foreign or
damaged cache costs the hashing, never a wrong id. An id for a file that changed is checked against its
bytes before any tree names it (objects.write_pack, and tree._Writer.flush for loose objects, also when the
repository has an object of that id): a wrong one stops the commit. An id equal to the committed one means
"unchanged" and is not checked: the cache is trusted that far, being signed with this user's key and build.
"""

from __future__ import annotations

from collections.abc import Mapping

_FORMAT = 1


def rendered_blob_ids(files: Mapping[str, bytes], recipes: Mapping[str, str], key: str) -> dict[str, bytes]:
    """{path: raw 20-byte blob id} of every file; the ids of the files with a recipe are remembered.

    Raises:
        GitError: a file's content is not bytes.
    """
    from hubctl.adapters.git.objects import as_bytes, object_id
    from hubctl.base import cachefile

    path = cache_file(key)
    known = cachefile.load(path, _FORMAT)
    known = known if isinstance(known, dict) else {}
    ids: dict[str, bytes] = {}
    seen: dict[str, bytes] = {}
    for rel in files:
        recipe = recipes.get(rel)
        raw = known.get(recipe) if recipe else None
        if raw is None:
            data = files[rel]
            raw = object_id("blob", data if type(data) is bytes else as_bytes(rel, data))
        ids[rel] = raw
        if recipe:
            seen[recipe] = raw
    if seen != known:  # the render's recipes only: the cache never grows beyond one render
        cachefile.save(path, _FORMAT, seen)
    return ids


def forget_blob_ids(key: str) -> None:
    """Drop the remembered ids of `key` (one was found wrong): the next commit hashes every file again."""
    import contextlib

    with contextlib.suppress(OSError):
        cache_file(key).unlink()


def cache_file(key: str):
    """One cache file per commit target (`key`: its repository and prefix), so that hubs committed side by side,
    or two fleets used in turn, do not replace each other's ids."""
    from hubctl.base import cachefile

    return cachefile.cache_path("blobids", f"recipes\0{key}")

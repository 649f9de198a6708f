"""The git adapter: rendered files in memory -> a tree -> a commit on a branch -> a push, all via pygit2.

No git executable is needed. pygit2 is imported inside the functions that use it, so importing this
package stays cheap. See docs/git.md for behaviour, identity precedence, credentials and errors.

The only importer of pygit2 (repo.py is the reading vocabulary everyone else uses). May import: hubctl.base.
"""

from hubctl.adapters.git.commit import TIP, CommitOutcome, commit_files, open_repository, rebuilder
from hubctl.adapters.git.credentials import Credentials, scrub
from hubctl.adapters.git.identity import Identity
from hubctl.adapters.git.lock import repo_lock
from hubctl.adapters.git.push import PushOutcome, push, resolve_remote
from hubctl.adapters.git.tree import TreeWrite, build_tree, write_tree

__all__ = [
    "TIP", "CommitOutcome", "Credentials", "Identity", "PushOutcome", "TreeWrite", "build_tree",
    "commit_files", "open_repository", "push", "rebuilder", "repo_lock", "resolve_remote", "scrub", "write_tree",
]

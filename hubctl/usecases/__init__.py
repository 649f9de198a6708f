"""Use cases: what each command does, as a library (one package per use case).

validate, render, review (`diff`), commit, status, prune, ops (day-2 edits), preview (`appset preview`).

May import: hubctl.spec (the model), hubctl.engines, hubctl.adapters, hubctl.base, and other use cases
without cycles. Never the CLI, rich or pygit2 (go through hubctl.adapters.git).
"""

"""Day-2 operations: spec edits that keep files as written, validated as a whole fleet before writing.

Each operation returns a Plan (ops/plan.py); `apply_plan` checks the prune guard and writes atomically.
See docs/operations.md.
"""

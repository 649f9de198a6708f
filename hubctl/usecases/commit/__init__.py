"""Commit a render: render, guard secrets and prunes, commit and push (`hubctl commit`).

May import: as every use case (hubctl.usecases).
"""

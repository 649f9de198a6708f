"""Status: what should be on the hub, what is, and the revision-aware wait (`hubctl status`).

May import: as every use case (hubctl.usecases).
"""

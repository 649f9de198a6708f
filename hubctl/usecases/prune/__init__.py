"""Prune: delete from the hub what the fleet no longer places (`hubctl prune`).

May import: as every use case (hubctl.usecases).
"""

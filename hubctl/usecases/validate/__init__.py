"""Validate a fleet: load it (loader: analyze, validate, load_fleet) and run the checks that
need rendering (placement, flows, blueprints, tenancy, windows, stages); resolve command targets.

May import: as every use case (hubctl.usecases).
"""

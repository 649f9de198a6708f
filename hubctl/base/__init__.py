"""The shared base: small pure pieces that every layer of hubctl may import.

A module here imports nothing of hubctl but the base itself, `hubctl.base.errors` and `hubctl.base.constants`
(tests/test_architecture.py holds it to that), so the ApplicationSet engine, the spec model and the hub
readers can share it without depending on each other.
"""

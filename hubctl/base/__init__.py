"""The shared base: small pure pieces that every layer of hubctl may import.

Errors and exit codes, constants, label selectors, problems found in files, cache files, code keys, forked
workers, redaction and the secret scan. May import: the base only (tests/test_architecture.py holds it to
that), so the engines, the adapters, the spec model and the use cases can share it without depending on
each other.
"""

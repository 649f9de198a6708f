"""The YAML engine: bounded loading (yamlload, yamldepth) and the fast, deterministic writer (yamlio).

May import: hubctl.base only.
"""

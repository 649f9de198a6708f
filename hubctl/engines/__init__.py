"""Engines: self-contained machines with no hubctl dependency but the base (hubctl.base).

- `appset`: the Argo CD ApplicationSet engine (generators, Go text/template, Sprig): what Argo CD would
  generate, whatever hubctl's specs say.
- `yaml`: the YAML reader (depth- and alias-bounded loading) and the style-keeping writer.

May import: hubctl.base, and within an engine itself. Nothing of specs, adapters, use cases or the CLI.
"""

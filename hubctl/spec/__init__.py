"""The spec model: find, load and check the fleet's spec files (hubs, clusters, spaces, flows, blueprints).

Sources (a directory or a Git revision), the schema, the model and the checks that need no rendering.
May import: hubctl.adapters, hubctl.engines and hubctl.base; never the use cases (what needs a render is
validated in hubctl.usecases.validate) nor the CLI.
"""

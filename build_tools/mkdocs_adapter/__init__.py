"""The only part of the package that knows MkDocs: a plugin and the ``spro build`` runner."""

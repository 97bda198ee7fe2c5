"""The editor for clerks (``python -m generator edit``, issue 22): so far the round-trip editing of YAML files."""

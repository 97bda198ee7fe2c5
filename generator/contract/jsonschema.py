"""The editor JSON Schema of a kind of file, from its declaration.

Written to ``procedures/schema/<kind>.schema.json`` by ``python -m generator
schema``; VS Code (``# yaml-language-server: $schema=…``) and the pre-commit
``check-jsonschema`` hook read it.  Rules are the validator's own regular
expressions (see :mod:`generator.contract.values`).
"""

from __future__ import annotations

import json

from .spec import Record

SCHEMA_FOLDER = "schema"
"""Where the editor schemas live, inside the procedures folder."""


def editor_schema(name: str, record: Record) -> str:
    """The JSON Schema of one kind of file, as stable, pretty JSON."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **record.json_schema(),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

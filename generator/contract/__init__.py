"""The means of declaring the format: value rules, vocabularies and kinds of values.

The declarations themselves are the frozen dataclasses of :mod:`generator.model`;
each of their fields names a :class:`~generator.contract.spec.Spec` from here.
From one declaration the package derives the structural check of YAML nodes,
the editor JSON Schema, the typed model, the open data record with its JSON
Schema, and the field-level comparison used by ``diff`` and 变更记录.

Nothing here imports the model or any later stage.
"""

"""Reading: the files under ``procedures/`` → checked plain data → the model.

``files`` finds the files (refusing what is not a regular file with a safe
name), ``source`` turns bytes into YAML nodes, ``check`` checks the nodes
against the declarations of :mod:`generator.model`, and ``assemble`` builds
the model objects.  Nothing here knows about pages or MkDocs.
"""

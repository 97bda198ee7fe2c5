"""Semantic checks over the model: positions, files, times and the step graph; they return diagnostics."""

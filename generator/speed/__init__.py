"""An optional layer around reading and rendering: caches, forked workers and progress.

The pure stages (:mod:`generator.read`, :mod:`generator.render`) do not know
about it; the benchmarks in ``tests/bench/`` are why it exists.  Everything it
needs is passed in: a cache folder, a :class:`~generator.speed.parallel.Parallel`
setting and a :class:`~generator.speed.progress.Progress`.
"""

"""Execution engines for batch ingest.

``base.Engine`` is what an engine does: ingest sources into a pool, with
progress, extracting and embedding what is new. ``local.LocalEngine`` runs
every stage in this process; ``dask_engine.DaskEngine`` runs the CPU-heavy
stages on Dask workers. Both write through ``corridor.ingest.run`` and
``corridor.extract.run`` from the calling process, which stays the only
writer, so the pool comes out the same. Imported lazily: ``corridor`` itself
never needs Dask.
"""

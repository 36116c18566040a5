"""Execution engines for batch ingest (see ``dask_engine``).

The single-process path is :meth:`corridor.service.Corridor.ingest`; an engine
runs the same stages elsewhere and hands the results back to the service,
which stays the only writer. Imported lazily: ``corridor`` itself never needs
Dask.
"""

"""What Corridor answers with, as data: one pydantic model per kind of answer.

The HTTP API returns these models (they make its OpenAPI schema) and
``corridor ... --json`` prints the very same ones, so the command line and the
API cannot drift apart. Each kind has a function that asks the service for
its records and turns them into the model:

* :mod:`.documents`: search results, documents, stats, quarantine, ingest reports;
* :mod:`.facts`: entities, events, commitments, pledges, the timeline;
* :mod:`.checks`: claim checks, stored checks and their runs;
* :mod:`.tokens`: API tokens (the command line only: the API never lists them).

Links inside an answer (a cited sentence's document page, a check's page)
are paths under ``base``: the server's root path for the API, ``""`` for the
command line.

Importing this package loads pydantic: the command line imports it only for
``--json`` (start-up, issue 14).
"""

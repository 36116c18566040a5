"""API security: schemathesis (v4) against the OpenAPI schema of a real
``corridor serve`` on 127.0.0.1.

Every documented operation is called with generated requests, valid
(positive) and invalid (negative), carrying a valid API token. No answer may
be a 5xx; status codes, content types, headers and JSON bodies must conform to
the schema, and invalid data must be refused. (Not checked: that every
schema-valid request is accepted: a ``since`` that is not a date is a
documented 400, which schemathesis' ``positive_data_acceptance`` counts as a
failure.) ``max_examples`` stays small
here; the longer pass whose figures are in docs/reliability.md runs the
schemathesis CLI against the same kind of server (command there).

(schemathesis' own pytest plugin, ``from_fixture``, fails under pytest 9:
it reads ``request.node._nodeid``; so the operations are driven here with
``APIOperation.as_strategy`` and Hypothesis directly.)
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import positive_data_acceptance

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1


@pytest.fixture(scope="module")
def api_schema(api_server: SimpleNamespace) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(api_server.base + "/openapi.json")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=lambda m: m.value)
def test_api_conforms_and_never_fails(api_schema: schemathesis.BaseSchema,
                                      api_server: SimpleNamespace,
                                      mode: GenerationMode) -> None:
    headers = {"Authorization": f"Bearer {api_server.token}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert any(op.path == "/api/search" for op in operations)
    for operation in operations:
        # claim checks run the whole checker (about a second each): fewer of them
        examples = (3 if operation.path == "/api/check" else 8) * SCALE

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: Case) -> None:
            case.call_and_validate(base_url=api_server.base, headers=headers, timeout=60,
                                   excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Unsatisfiable:  # negative mode, and nothing in the request can be made invalid
            assert mode is GenerationMode.NEGATIVE and not operation.body and all(
                not group for group in (operation.query, operation.path_parameters))
        except BaseException as exc:  # collect every operation's failure, report them all
            if not isinstance(exc, Exception | BaseExceptionGroup):
                raise
            failures[f"{operation.method.upper()} {operation.path}"] = str(exc)[:3000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    assert api_server.proc.poll() is None  # the server is still up

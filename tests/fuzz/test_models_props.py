"""Properties of the API request models (corridor/web/models.py).

Every request body model (``...Request``, ``...In``) takes any JSON value and
either accepts it or raises pydantic's ValidationError, never anything else;
what it accepts its own JSON schema (the one in the OpenAPI document) accepts
too, survives a JSON round trip unchanged, and keeps its declared limits.
"""

from __future__ import annotations

import inspect
import json
import os
from typing import Any

import jsonschema_rs  # installed with schemathesis
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from corridor.web import models

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1
REQUEST_MODELS = sorted(
    (cls for _, cls in inspect.getmembers(models, inspect.isclass)
     if issubclass(cls, BaseModel) and cls.__module__ == models.__name__
     and cls.__name__.endswith(("Request", "In"))),
    key=lambda cls: cls.__name__)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=60), st.sampled_from(["https://example.org/a", "", " ",
                                                           "2024-03-05", "x" * 3000]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)


def _typed(annotation: Any) -> st.SearchStrategy[Any]:
    """A value of the field's declared type (bounds not respected: the model checks them)."""
    text = str(annotation)
    if "list[" in text or "List[" in text:
        inner = next((m for m in REQUEST_MODELS if m.__name__ in text), None)
        return st.lists(_shaped(inner) if inner else st.text(max_size=80), max_size=3)
    if annotation is bool or "bool" in text:
        return st.booleans()
    if "int" in text:
        return st.integers()
    return st.one_of(st.none(), st.text(max_size=80), st.sampled_from(
        ["https://example.org/a", "2024-03-05", "x" * 2001]))


def _shaped(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    """Objects with the model's fields (required ones always), mostly of the right type."""
    fields = {name: st.one_of(*[_typed(f.annotation)] * 4, json_values)
              for name, f in model.model_fields.items()}
    required = {n: v for n, v in fields.items() if model.model_fields[n].is_required()}
    optional = {n: v for n, v in fields.items() if n not in required}
    return st.fixed_dictionaries(required, optional=optional).flatmap(
        lambda obj: st.one_of(st.just(obj), st.just({**obj, "extra_field": 1})))


def test_request_models_found() -> None:
    assert {"ArticleIn", "IngestRequest"} <= {m.__name__ for m in REQUEST_MODELS}


def _limits_hold(model: type[BaseModel], obj: BaseModel) -> None:
    for name, field in model.model_fields.items():
        value = getattr(obj, name)
        for meta in field.metadata:
            longest = getattr(meta, "max_length", None)
            if longest is not None and value is not None:
                assert len(value) <= longest, (model.__name__, name)


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda m: m.__name__)
@settings(max_examples=150 * SCALE)
@given(data=st.data())
def test_any_json_is_accepted_or_a_validation_error(model: type[BaseModel],
                                                    data: st.DataObject) -> None:
    value = data.draw(st.one_of(json_values, _shaped(model)))
    try:
        obj = model.model_validate(value)
    except ValidationError as exc:
        assert exc.errors()
        event("rejected")
        return
    event("accepted")
    # what the model accepts, its published JSON schema (the OpenAPI one) accepts too:
    # no silent coercion of values the schema forbids ("save": 0 for a boolean)
    jsonschema_rs.validate(model.model_json_schema(), value)
    _limits_hold(model, obj)
    again = model.model_validate_json(obj.model_dump_json())
    assert again == obj
    assert model.model_validate(json.loads(json.dumps(obj.model_dump(mode="json")))) == obj

"""One exception tree for Corridor, with stable codes.

    CorridorError                  code "error"
    ├── InputError                 the input cannot be processed (quarantined)
    │   ├── EmptyInput             "empty"
    │   ├── BinaryInput            "binary"
    │   ├── EncodingError          "encoding"
    │   ├── TooLarge               "too_large"
    │   ├── MalformedInput         "malformed" (broken/malicious HTML, XML, JSON)
    │   ├── UnsupportedInput       "unsupported"
    │   └── FetchError             "fetch" (unreachable URL, HTTP error)
    ├── StageError                 a pipeline stage broke its contract
    ├── StoreError                 the database failed (driver errors are wrapped)
    │   ├── StoreBusy              "busy": another process holds the write lock too long
    │   └── MigrationError
    ├── NotFound                   a requested record does not exist
    └── ConfigError                a bad setting or argument

Every error has ``code`` (machine-readable) and a human message. Backends map
driver exceptions to these with ``raise ... from exc``.

Every class also says how each front end reports it, so the command line and
the HTTP API cannot drift apart: ``exit_code`` (what ``corridor`` exits with:
1 for a record that does not exist, 2 for anything else wrong) and
``http_status`` (what the API answers: 404 not found, 400 a bad setting or
argument, 422 input that cannot be processed, 503 a busy store, to be retried,
500 the rest).
"""

from __future__ import annotations

__all__ = [
    "BinaryInput",
    "ConfigError",
    "CorridorError",
    "EmptyInput",
    "EncodingError",
    "FetchError",
    "InputError",
    "MalformedInput",
    "MigrationError",
    "NotFound",
    "StageError",
    "StoreBusy",
    "StoreError",
    "TooLarge",
    "UnsupportedInput",
]


class CorridorError(Exception):
    code = "error"
    #: the HTTP API's answer (500: the server's fault; its message is not shown)
    http_status = 500
    #: the command line's exit status
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(CorridorError):
    code = "input"
    http_status = 422


class EmptyInput(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class EncodingError(InputError):
    code = "encoding"


class TooLarge(InputError):
    code = "too_large"


class MalformedInput(InputError):
    code = "malformed"


class UnsupportedInput(InputError):
    code = "unsupported"


class FetchError(InputError):
    code = "fetch"


class StageError(CorridorError):
    code = "stage"


class StoreError(CorridorError):
    code = "store"


class StoreBusy(StoreError):
    """The write lock stayed with another writer past the wait (busy timeout):
    nothing was written; the same request can be retried (HTTP 503 + Retry-After)."""

    code = "busy"
    http_status = 503


class MigrationError(StoreError):
    code = "migration"


class NotFound(CorridorError):
    code = "not_found"
    http_status = 404
    exit_code = 1


class ConfigError(CorridorError):
    code = "config"
    http_status = 400

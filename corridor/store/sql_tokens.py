"""API tokens, written once for both backends: only ``sha256(secret)`` is stored."""

from __future__ import annotations

from ..errors import NotFound, StoreError
from .records import ApiToken
from .sql import SqlStore, now

__all__ = ["TokenTables"]

_COLUMNS = "id, name, created_at, revoked_at, last_used_at"


class TokenTables(SqlStore):
    def add_token(self, name: str, token_hash: str) -> ApiToken:
        with self.transaction():
            # the partial unique index on active names is the conflict skipped here
            row = self.one("INSERT INTO api_tokens(name, hash, created_at) VALUES (?, ?, ?)"
                           " ON CONFLICT DO NOTHING RETURNING id", (name, token_hash, now()))
            if row is None:
                raise StoreError(f"an active token named {name!r} already exists")
            return self._token(int(row["id"]))

    def _token(self, token_id: int) -> ApiToken:
        row = self.one(f"SELECT {_COLUMNS} FROM api_tokens WHERE id = ?", (token_id,))
        if row is None:
            raise NotFound(f"no API token with id {token_id}")
        return ApiToken(**dict(row))

    def revoke_token(self, token_id: int) -> ApiToken:
        with self.transaction():
            self._token(token_id)
            self.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?"
                         " AND revoked_at IS NULL", (now(), token_id))
            return self._token(token_id)

    def list_tokens(self) -> list[ApiToken]:
        return [ApiToken(**dict(r)) for r in
                self.all(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY id")]

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self.one(f"SELECT {_COLUMNS} FROM api_tokens WHERE hash = ?", (token_hash,))
        return ApiToken(**dict(row)) if row else None

    def revoked_token_hashes(self) -> list[str]:
        return [str(r["hash"]) for r in self.all(
            "SELECT hash FROM api_tokens WHERE revoked_at IS NOT NULL ORDER BY id")]

    def touch_token(self, token_id: int) -> None:
        with self.transaction():
            self.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now(), token_id))

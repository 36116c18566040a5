"""API tokens as answers (``corridor token ... --json``); a secret is shown once, at creation."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel

from ..store.base import ApiToken

__all__ = ["CreatedToken", "TokenList", "TokenOut", "created_token", "token_list", "token_out"]


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(**asdict(token))


class TokenList(BaseModel):
    tokens: list[TokenOut]


def token_list(tokens: list[ApiToken]) -> TokenList:
    return TokenList(tokens=[token_out(t) for t in tokens])


class CreatedToken(TokenOut):
    #: the secret: shown this once (only its hash is stored)
    token: str


def created_token(token: ApiToken, secret: str) -> CreatedToken:
    return CreatedToken(**asdict(token), token=secret)

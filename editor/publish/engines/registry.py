"""The blog engines Draftpress speaks, by the `kind` an account names.

Each engine module is imported only when an account of its kind is used, so the window and
`draftpress --help` do not load every engine. To add an engine: write its module in this package
(a class that implements `base.BlogEngine`, and a function `open_engine(account, secret)` that
returns it), then add its `EngineSpec` to `ENGINES` below.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from editor.publish.engines.base import (
    GHOST,
    MICROPUB,
    WORDPRESS,
    XMLRPC,
    Capabilities,
    Credential,
)
from editor.publish.errors import PublishError

if TYPE_CHECKING:
    from editor.publish.accounts import Account
    from editor.publish.engines.base import BlogEngine

log = logging.getLogger(__name__)

EngineOpener = Callable[["Account", str], "BlogEngine"]


@dataclass(frozen=True)
class EngineSpec:
    """One engine: its name for the writer, the credential it asks for, where its code is."""

    kind: str
    label: str  # "WordPress", "Ghost", …
    credential: Credential
    opener: str  # "module:function" returning the engine for an account and its secret


ENGINES: dict[str, EngineSpec] = {
    WORDPRESS: EngineSpec(
        WORDPRESS,
        "WordPress",
        Credential(
            "Application password",
            hint="In WordPress: Users > Profile > Application Passwords.",
        ),
        "editor.publish.engines.wordpress:open_engine",
    ),
    XMLRPC: EngineSpec(
        XMLRPC,
        "XML-RPC (MetaWeblog, Movable Type)",
        Credential(
            "Password",
            hint=(
                "The password you sign in to the blog with. On WordPress an application "
                "password (Users > Profile > Application Passwords) works here too, and is "
                "safer: it can be revoked without changing your own."
            ),
        ),
        "editor.publish.engines.xmlrpc:open_engine",
    ),
    GHOST: EngineSpec(
        GHOST,
        "Ghost",
        Credential(
            "Admin API key",
            needs_user=False,
            hint="In Ghost Admin: Settings > Integrations > Add custom integration, then copy "
            "its Admin API key.",
        ),
        "editor.publish.engines.ghost:open_engine",
    ),
    MICROPUB: EngineSpec(
        MICROPUB,
        "Micropub (IndieWeb, Micro.blog)",
        Credential(
            "Token",
            needs_user=False,
            hint="Sign in with IndieAuth, or paste a token from your site's token page.",
        ),
        "editor.publish.engines.micropub:open_engine",
    ),
}

# The kinds the interface names, for engines that are being added (not yet in ENGINES).
KNOWN_KINDS = (WORDPRESS, GHOST, MICROPUB, XMLRPC)


class UnknownEngine(PublishError, LookupError):
    """An account names a blog engine this Draftpress does not have."""


def engine_spec(kind: str) -> EngineSpec:
    """Return the spec of an engine; a LookupError in the writer's words for an unknown one."""
    try:
        return ENGINES[kind or WORDPRESS]
    except KeyError:
        raise UnknownEngine(
            f"Draftpress does not know the blog engine “{kind}” (it knows: "
            f"{', '.join(sorted(ENGINES))})."
        ) from None


def open_engine(account: Account, secret: str) -> BlogEngine:
    """Return the engine for an account, logged in with its secret (not yet connected)."""
    module_name, function_name = engine_spec(account.kind).opener.split(":")
    opener = cast(EngineOpener, getattr(importlib.import_module(module_name), function_name))
    return opener(account, secret)


def capabilities_of(account: Account) -> Capabilities:
    """Return what the account's engine can store and do (no request is sent).

    The engine is opened without its secret only to ask: an engine's `capabilities()` must
    answer without the network (what it learns from the blog later may narrow it, not widen).
    """
    try:
        engine = open_engine(account, "")
    except PublishError as refused:  # e.g. http:// not agreed to: it cannot publish anyway
        log.info("capabilities of %s: %s", account.name, refused)
        return Capabilities()
    try:
        return engine.capabilities()
    finally:
        engine.close()

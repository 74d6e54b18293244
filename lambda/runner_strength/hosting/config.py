"""Configuration from the environment (names and defaults are the contract in the README)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_STORE = "sqlite:var/runner-strength.sqlite3"
DEFAULT_CERT_CACHE = "var/alexa-certificates"


class ConfigError(ValueError):
    """The environment asks for something the skill will not do; the message says what to change."""


def plain_host(host: str) -> str:
    """HOST as an address to bind: an IPv6 address may be written in brackets, as in URLs ("[::1]")."""
    host = host.strip()
    if "[" not in host and "]" not in host:
        return host
    inner = host[1:-1] if host.startswith("[") and host.endswith("]") else ""
    try:
        if ipaddress.ip_address(inner).version == 6:
            return inner
    except ValueError:
        pass
    raise ConfigError(f"HOST={host!r}: brackets are only for an IPv6 address, as in [::1]")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(plain_host(host)).is_loopback
    except (ConfigError, ValueError):
        return False


@dataclass(frozen=True)
class Config:
    store: str = DEFAULT_STORE
    skill_id: str | None = None
    verify: bool = True
    host: str = "127.0.0.1"
    port: int = 8080
    cert_cache: str = DEFAULT_CERT_CACHE

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, default_store: str = DEFAULT_STORE) -> Config:
        port = env.get("PORT", "8080")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"PORT={port!r} is not a port number")
        verify = env.get("ALEXA_VERIFY", "on").strip().lower()
        if verify not in ("on", "off"):
            raise ConfigError(f"ALEXA_VERIFY={verify!r}: use on or off")
        return cls(
            store=env.get("SKILL_STORE") or default_store,
            skill_id=env.get("SKILL_ID") or None,
            verify=verify == "on",
            host=plain_host(env.get("HOST") or "127.0.0.1"),
            port=int(port),
            cert_cache=env.get("ALEXA_CERT_CACHE") or DEFAULT_CERT_CACHE,
        )

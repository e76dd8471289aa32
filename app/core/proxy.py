"""The proxy WhatsApp's connection goes through: checking what a person typed, and the system's."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

# whatsmeow routes http and https URLs through an HTTP CONNECT proxy and socks5 through SOCKS5;
# anything else it would treat as an HTTP proxy without saying so.
SCHEMES = ("http", "https", "socks5")
DIRECT = "direct"  # the setting's word for "no proxy, not even the system's"
# The variables curl, Go and most tools read, in the order they are consulted.
SYSTEM_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


def proxy_problem(text: str) -> str | None:
    """A sentence saying what is wrong with a proxy URL, or None when it can be used."""
    value = (text or "").strip()
    if not value or value.lower() == DIRECT:
        return None
    example = "such as http://proxy.plant.local:8080 or socks5://10.0.0.5:1080"
    if "://" not in value:
        return f"The proxy “{value}” needs its kind in front, {example}."
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return f"The proxy “{value}” has a port that is not a number from 1 to 65535."
    if parts.scheme.lower() not in SCHEMES:
        return (f"The proxy “{value}” is of a kind WhatsApp cannot use: use http://, https:// "
                "or socks5://.")
    if not parts.hostname:
        return f"The proxy “{value}” names no computer: use an address {example}."
    if port is None:
        return f"The proxy “{value}” needs a port after the address, {example}."
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return f"The proxy “{value}” must be only an address and a port, {example}."
    return None


def system_proxy(environ: Mapping[str, str] | None = None) -> str:
    """The proxy this computer's environment names for HTTPS traffic ("" when none)."""
    env = os.environ if environ is None else environ
    for name in SYSTEM_VARIABLES:
        value = (env.get(name) or "").strip()
        if value:
            return value if "://" in value else f"http://{value}"
    return ""


def effective_proxy(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The proxy URL to use ("" for a direct connection): the setting, else the system's.

    Raises ValueError with a sentence when the setting, or the system's proxy, is malformed.
    """
    value = (setting or "").strip()
    if value.lower() == DIRECT:
        return ""
    source = value or system_proxy(environ)
    problem = proxy_problem(source)
    if problem is not None:
        if not value:
            problem += " It comes from this computer's HTTPS_PROXY or ALL_PROXY variable."
        raise ValueError(problem)
    return source

"""The settings of each data-source kind: what the form shows and what saving checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.email_address import address_problem


@dataclass(frozen=True)
class FieldSpec:
    key: str  # config key; "a.b" nests ({"a": {"b": …}}); secrets live in the secret store
    label: str
    kind: str = "text"  # text, int, float, bool, choice, secret, path, multiline, tls
    # (tls: True, False, or the path of a CA bundle file)
    required: bool = False
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    only_when: tuple[str, tuple[str, ...]] | None = None  # shown when another field has a value
    and_when: tuple[str, tuple[str, ...]] | None = None  # … and this one as well


KINDS: dict[str, str] = {
    "pi": "AVEVA PI (PI Web API or site gateway)",
    "mysql": "MySQL / MariaDB",
    "oracle": "Oracle",
    "demo": "Demo historian (built in)",
    "ai": "AI service",
    "email": "E-mail (SMTP mail server)",
}

_PI_WEB = ("api", ("piwebapi",))
_SIGN_IN = ("auth", ("basic", "ntlm"))  # the kinds of sign-in that take a name and password
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "pi": (
        FieldSpec("api", "API", "choice", True, "piwebapi",
                  (("piwebapi", "PI Web API"), ("gateway", "Old site gateway (/pi/trn)"))),
        FieldSpec("base_url", "Address", "text", True,
                  help="https://pi-server/piwebapi — or http://host:6066 for the old gateway"),
        FieldSpec("auth", "Authentication", "choice", False, "basic",
                  (("anonymous", "Anonymous"), ("basic", "Basic (user name and password)"),
                   ("kerberos", "Kerberos / Windows"), ("ntlm", "NTLM"),
                   ("bearer", "Bearer token")), only_when=_PI_WEB),
        FieldSpec("username", "User name", only_when=_PI_WEB, and_when=_SIGN_IN,
                  help="DOMAIN\\user"),
        FieldSpec("password", "Password", "secret", only_when=_PI_WEB, and_when=_SIGN_IN),
        FieldSpec("token", "Bearer token", "secret", only_when=_PI_WEB,
                  and_when=("auth", ("bearer",))),
        FieldSpec("verify_tls", "Check the server certificate", "tls", False, True,
                  only_when=_PI_WEB,
                  help="Leave on: the connection is refused when the server's certificate "
                       "is not trusted. A plant CA's bundle file (.pem) may be given."),
        FieldSpec("data_server", "Default data server", only_when=_PI_WEB,
                  help="for bare tag names, e.g. PISRV01"),
        FieldSpec("default_tag", "Default tag", help="used by old triggers that name no tag"),
        FieldSpec("time_zone", "Time zone of the server", help="e.g. Asia/Jakarta; empty = "
                  "this computer's"),
        FieldSpec("timeout_s", "Time limit (s)", "float", False, 15, minimum=1, maximum=300),
    ),
    "mysql": (
        FieldSpec("host", "Host", required=True),
        FieldSpec("port", "Port", "int", False, 3306, minimum=1, maximum=65535),
        FieldSpec("database", "Database", required=True),
        FieldSpec("username", "User name", required=True,
                  help="a user with read-only rights is the strongest protection"),
        FieldSpec("password", "Password", "secret"),
        FieldSpec("connect_timeout_s", "Connect time limit (s)", "float", False, 10,
                  minimum=1, maximum=120),
        FieldSpec("query_timeout_s", "Query time limit (s)", "float", False, 30,
                  minimum=1, maximum=600),
        FieldSpec("ssl.ca", "TLS: CA bundle file", "path", help="empty = no TLS"),
    ),
    "oracle": (
        FieldSpec("host", "Host"),
        FieldSpec("port", "Port", "int", False, 1521, minimum=1, maximum=65535),
        FieldSpec("service_name", "Service name"),
        FieldSpec("dsn", "Connect string (instead of host/service)",
                  help="e.g. dbhost:1521/ORCLPDB1 or a full (DESCRIPTION=…)"),
        FieldSpec("username", "User name", required=True,
                  help="a user with read-only rights is the strongest protection"),
        FieldSpec("password", "Password", "secret"),
        FieldSpec("connect_timeout_s", "Connect time limit (s)", "float", False, 10,
                  minimum=1, maximum=120),
        FieldSpec("query_timeout_s", "Query time limit (s)", "float", False, 30,
                  minimum=1, maximum=600),
    ),
    "demo": (),
    "ai": (
        FieldSpec("kind", "Service type", "choice", True, "openai",
                  (("openai", "OpenAI-compatible (/v1/chat/completions)"),
                   ("ollama", "Ollama (/api/chat)"), ("relay", "Old system's relay"))),
        FieldSpec("base_url", "Address", required=True,
                  help="e.g. http://localhost:11434/v1 for OpenAI-compatible"),
        FieldSpec("model", "Model"),
        FieldSpec("api_key", "API key", "secret"),
        FieldSpec("timeout_s", "Time limit (s)", "float", False, 60, minimum=1, maximum=600),
        FieldSpec("max_tokens", "Answer length limit (tokens)", "int", False, 800,
                  minimum=16, maximum=32000),
        FieldSpec("temperature", "Temperature", "float", False, 0.2, minimum=0, maximum=2),
        FieldSpec("system_prompt", "System prompt", "multiline"),
    ),
    "email": (
        FieldSpec("host", "Mail server", required=True, help="e.g. smtp.plant.example.com"),
        FieldSpec("security", "Security", "choice", True, "starttls",
                  (("starttls", "STARTTLS (usually port 587)"),
                   ("tls", "TLS from the start (usually port 465)"),
                   ("none", "None (plain text, usually port 25)"))),
        FieldSpec("port", "Port", "int", False, 587, minimum=1, maximum=65535),
        FieldSpec("username", "User name", help="empty = the server takes mail without "
                  "sign-in"),
        FieldSpec("password", "Password", "secret"),
        FieldSpec("from_address", "From address", required=True,
                  help="e.g. wa-bot@plant.example.com"),
        FieldSpec("verify_tls", "Check the server certificate", "tls", False, True,
                  help="Leave on: the connection is refused when the server's certificate "
                       "is not trusted. A plant CA's bundle file (.pem) may be given."),
        FieldSpec("timeout_s", "Time limit (s)", "float", False, 20, minimum=1, maximum=300),
    ),
}

# The usual port of each e-mail security choice (the form moves a default port along).
EMAIL_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}

SECRET_KEYS: dict[str, tuple[str, ...]] = {
    kind: tuple(f.key for f in fields if f.kind == "secret") for kind, fields in FIELDS.items()
}


def get_path(config: dict[str, Any], key: str) -> Any:
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def set_path(config: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = config
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is None or value == "":
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def verify_setting(value: Any) -> bool | str:
    """A "Check the server certificate" value as stored (a bool, or text from an old or
    imported configuration): True, False, or the path of a CA bundle file."""
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    text = str(value).strip()
    if text.lower() in ("", "true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off"):
        return False
    return text  # a path to a CA bundle


def applies(spec: FieldSpec, config: dict[str, Any]) -> bool:
    for condition in (spec.only_when, spec.and_when):
        if condition is not None:
            other, values = condition
            if str(get_path(config, other) or "") not in values:
                return False
    return True


def check(kind: str, config: dict[str, Any], secrets_present: set[str],
          secrets: bool = True) -> list[str]:
    """A sentence for every missing or invalid value (empty when the source is complete).

    `secrets=False` leaves out missing passwords and tokens: an imported configuration never
    carries them, and the Connections tab asks for them afterwards.
    """
    problems: list[str] = []
    for spec in FIELDS.get(kind, ()):
        if not applies(spec, config):
            continue
        value = get_path(config, spec.key)
        if spec.kind == "secret":
            continue
        if value in (None, ""):
            if spec.required and spec.default is None:
                problems.append(f"{spec.label} is missing.")
            continue
        if spec.kind in ("int", "float"):
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(f"{spec.label} must be a number, not {value!r}.")
                continue
            if spec.kind == "int" and number != int(number):
                problems.append(f"{spec.label} must be a whole number.")
            if (spec.minimum is not None and number < spec.minimum) or (
                    spec.maximum is not None and number > spec.maximum):
                problems.append(f"{spec.label} must be between {spec.minimum:g} and "
                                f"{spec.maximum:g}.")
        if spec.kind == "choice" and value not in [c[0] for c in spec.choices]:
            problems.append(f"{spec.label} must be one of "
                            f"{', '.join(c[0] for c in spec.choices)}.")
    if kind == "oracle" and not (config.get("dsn") or (config.get("host")
                                                        and config.get("service_name"))):
        problems.append("Give either a host and a service name, or a connect string.")
    if kind == "email":
        sender = config.get("from_address")
        if sender not in (None, ""):
            problem = address_problem(sender)
            if problem:
                problems.append(f"From address: {problem}")
        if secrets and config.get("username") and "password" not in secrets_present:
            problems.append("Password is missing (needed when a user name is given).")
    if kind == "pi" and config.get("api", "piwebapi") == "piwebapi":
        auth = config.get("auth", "basic")
        if auth in ("basic", "ntlm") and not config.get("username"):
            problems.append("User name is missing (needed for basic and NTLM sign-in).")
        if secrets and auth in ("basic", "ntlm") and "password" not in secrets_present:
            problems.append("Password is missing (needed for basic and NTLM sign-in).")
        if secrets and auth == "bearer" and "token" not in secrets_present:
            problems.append("Bearer token is missing.")
    return problems

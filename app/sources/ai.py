"""AI services: OpenAI-compatible chat completions, Ollama's /api/chat and the old relay."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from app.sources.base import CONCURRENT_REQUESTS, Fault, SourceError, TestResult
from app.sources.http import Deadline, HttpClient, RetryRule, Wording, retry_pause

__all__ = ["KINDS", "AiSource", "ChatReply", "ToolCall", "assistant_message",
           "tool_result_message"]

KINDS = ("openai", "ollama", "relay")
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_TOKENS = 800
DEFAULT_TEMPERATURE = 0.2
RELAY_TEST_CAP_S = 10.0  # the old system tested its relay with the word "test" and 10 s
MAX_RATE_LIMIT_RETRIES = 5
_MODELS_REFUSED = (400, 404, 405, 501)  # /models not offered: fall back to a one-word chat
_SERVICE = "The AI service"


@dataclass(frozen=True)
class ToolCall:
    """One tool the model asked for; `arguments` is None and `error` set when they are unusable."""

    id: str
    name: str
    arguments: dict[str, Any] | None
    raw_arguments: str
    error: str | None = None


@dataclass(frozen=True)
class ChatReply:
    text: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    model: str = ""


class AiSource:
    """One AI connection. Blocking calls only; each gives up by itself within its `timeout`.

    Failures raise SourceError with a sentence for the engineer and a code (the HTTP status, or
    `timeout`, `insufficient_quota`, the network error's name…).
    """

    concurrent_requests = CONCURRENT_REQUESTS

    def __init__(self, config: dict[str, Any], secrets: dict[str, str] | None = None) -> None:
        self.config = dict(config or {})
        secrets = dict(secrets or {})
        self.kind = str(self.config.get("kind") or "openai").strip().lower()
        self.base_url = str(self.config.get("base_url") or "").strip().rstrip("/")
        self.model = str(self.config.get("model") or "").strip()
        self.timeout_s = _number(self.config.get("timeout_s"), DEFAULT_TIMEOUT_S, 1.0)
        self.max_tokens = int(_number(self.config.get("max_tokens"), DEFAULT_MAX_TOKENS, 1.0))
        self.temperature = _number(self.config.get("temperature"), DEFAULT_TEMPERATURE, 0.0)
        self.system_prompt = str(self.config.get("system_prompt") or "").strip()
        self._api_key = str(secrets.get("api_key") or "").strip()
        self._problem = self._check()
        self._client = _AiHttp(self.base_url, self.kind, self._api_key, self.timeout_s)
        self.host = self._client.host
        self.where = self._client.where

    def _check(self) -> SourceError | None:
        # A half-filled form still makes a source; every call then says what is missing.
        if self.kind not in KINDS:
            return SourceError(f"Unknown AI service type '{self.kind}': choose openai, ollama or "
                               "relay.", code="config", kind=Fault.SETUP)
        if not self.base_url:
            return SourceError("This AI connection has no address: enter its base URL in the "
                               "connection settings.", code="config", kind=Fault.SETUP)
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            return SourceError(f"'{self.base_url}' is not a usable address: write it like "
                               f"{_EXAMPLE[self.kind]}.", code="config", kind=Fault.SETUP)
        if self.kind != "relay" and not self.model:
            return SourceError("This AI connection names no model: enter one (e.g. llama3) in "
                               "the connection settings.", code="config", kind=Fault.SETUP)
        return None

    @property
    def supports_tools(self) -> bool:
        return self.kind != "relay"

    # -- connection test ----------------------------------------------------------------------

    def test_blocking(self, timeout: float) -> TestResult:
        started = time.perf_counter()
        try:
            if self._problem is not None:
                raise self._problem
            if self.kind == "relay":
                return self._test_relay(min(float(timeout), RELAY_TEST_CAP_S))
            if self.kind == "ollama":
                return self._test_listing(timeout, f"{self.base_url}/api/tags", "models", "name")
            return self._test_listing(timeout, f"{self.base_url}/models", "data", "id")
        except SourceError as exc:
            return TestResult(False, (time.perf_counter() - started) * 1000, exc.message,
                              exc.code)

    def _test_listing(self, timeout: float, url: str, key: str, name_key: str) -> TestResult:
        deadline = Deadline(timeout)
        started = time.perf_counter()
        response = self._send("GET", url, deadline, None)
        latency = (time.perf_counter() - started) * 1000
        if self.kind == "openai" and response.status_code in _MODELS_REFUSED:
            response.close()
            return self._test_chat(deadline)
        if not response.ok:
            raise self._status_error(response)
        body = _json_body(response)
        entries = body.get(key) if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise SourceError(f"{self.where} answered, but not as an "
                              f"{_PRODUCT[self.kind]} service: check the address "
                              f"(e.g. {_EXAMPLE[self.kind]}).", code="format", kind=Fault.SETUP)
        names = [str(e.get(name_key) or e.get("model") or "") for e in entries
                 if isinstance(e, dict)]
        count = f"{len(names)} model{'s' if len(names) != 1 else ''}"
        if _has_model(names, self.model):
            return TestResult(True, latency, f"Connected in {latency:.0f} ms ({count}; "
                              f"{self.model} is there)", server=_PRODUCT[self.kind])
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        offer = f"it offers {shown}" if names else "it offers none"
        return TestResult(False, latency, f"Connected in {latency:.0f} ms, but the model "
                          f"'{self.model}' is not there ({count}: {offer}): correct the model "
                          "name" + (" or pull it with ollama pull." if self.kind == "ollama"
                                    else "."), code="model", server=_PRODUCT[self.kind])

    def _test_chat(self, deadline: Deadline) -> TestResult:
        started = time.perf_counter()
        messages = [{"role": "user", "content": "Answer with one word: ready?"}]
        self._chat(messages, None, deadline, max_tokens=16)
        latency = (time.perf_counter() - started) * 1000
        return TestResult(True, latency, f"Connected in {latency:.0f} ms ({self.model} "
                          "answered; the service does not list its models)",
                          server=_PRODUCT[self.kind])

    def _test_relay(self, timeout: float) -> TestResult:
        deadline = Deadline(timeout)
        started = time.perf_counter()
        response = self._send("POST", self.base_url, deadline, {"message": "test"})
        latency = (time.perf_counter() - started) * 1000
        if not response.ok:
            raise self._status_error(response)
        return TestResult(True, latency, f"Connected in {latency:.0f} ms (the relay answered)",
                          server="relay")

    # -- chat ---------------------------------------------------------------------------------

    def chat_blocking(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None,
                      timeout: float) -> ChatReply:
        """One answer to `messages` (OpenAI shapes); `tools` in OpenAI's function-tool format.

        The connection's system prompt goes first (joined to a leading system message of
        `messages`). The relay takes only the last user text and never calls tools.
        """
        if self._problem is not None:
            raise self._problem
        deadline = Deadline(timeout)
        if self.kind == "relay":
            return self._relay(messages, deadline)
        return self._chat(messages, tools, deadline, self.max_tokens)

    def _chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None,
              deadline: Deadline, max_tokens: int) -> ChatReply:
        sent = [dict(m) for m in messages]
        if self.system_prompt:
            # One system message: some chat templates (llama.cpp) refuse a second one.
            if sent and sent[0].get("role") == "system":
                own = _text(sent[0].get("content")).strip()
                sent[0]["content"] = f"{self.system_prompt}\n\n{own}" if own else self.system_prompt
            else:
                sent.insert(0, {"role": "system", "content": self.system_prompt})
        for message in sent:
            if message.get("content") is None:
                message["content"] = ""  # some servers refuse a null content
        body: dict[str, Any] = {"model": self.model, "messages": sent, "stream": False}
        if self.kind == "ollama":
            url = f"{self.base_url}/api/chat"
            body["options"] = {"temperature": self.temperature, "num_predict": max_tokens}
            body["messages"] = [_ollama_message(m) for m in sent]
        else:
            url = f"{self.base_url}/chat/completions"
            body["max_tokens"] = max_tokens
            body["temperature"] = self.temperature
        if tools:
            body["tools"] = tools
        response = self._send("POST", url, deadline, body)
        if not response.ok:
            raise self._status_error(response)
        answer = _json_body(response)
        if self.kind == "ollama":
            return self._ollama_reply(answer)
        return self._openai_reply(answer)

    def _openai_reply(self, body: Any) -> ChatReply:
        choices = body.get("choices") if isinstance(body, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise self._not_this_service(body)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        calls = [_openai_call(i, c) for i, c in enumerate(message.get("tool_calls") or [])
                 if isinstance(c, dict)]
        return ChatReply(_text(message.get("content")), calls,
                         str(choice.get("finish_reason") or ("tool_calls" if calls else "stop")),
                         str(body.get("model") or self.model))

    def _ollama_reply(self, body: Any) -> ChatReply:
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            raise self._not_this_service(body)
        calls = [_ollama_call(i, c) for i, c in enumerate(message.get("tool_calls") or [])
                 if isinstance(c, dict)]
        reason = str(body.get("done_reason") or "stop")
        return ChatReply(_text(message.get("content")), calls,
                         "tool_calls" if calls else reason, str(body.get("model") or self.model))

    def _relay(self, messages: list[dict[str, Any]], deadline: Deadline) -> ChatReply:
        question = next((_text(m.get("content")) for m in reversed(messages)
                         if m.get("role") == "user"), "")
        if not question.strip():
            raise SourceError("There is no question to send to the relay.", code="empty")
        response = self._send("POST", self.base_url, deadline, {"message": question})
        if not response.ok:
            raise self._status_error(response)
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        answer = ""
        if isinstance(body, dict):
            answer = _text(body.get("response")) or _text(body.get("output_text"))
        elif isinstance(body, str):
            answer = body
        return ChatReply(answer or response.text.strip(), [], "stop", "relay")

    def close(self) -> None:
        self._client.close()

    def _send(self, method: str, url: str, deadline: Deadline,
              body: Any) -> requests.Response:
        """One request; 429 waits out Retry-After and 5xx is retried once, within the deadline."""
        return self._client.send(method, url, deadline, body=body)

    def _status_error(self, response: requests.Response) -> SourceError:
        status = response.status_code
        code = str(status)
        detail = _error_text(response)
        tail = f": {detail}" if detail else "."
        if status in (401, 403):
            if not self._api_key:
                return SourceError(f"{_SERVICE} asks for an API key: enter one in the "
                                   "connection settings.", code=code, kind=Fault.SIGN_IN)
            return SourceError(f"{_SERVICE} refused the key: check the API key in the connection "
                               "settings (it may have been revoked).", code=code,
                               kind=Fault.SIGN_IN)
        if status == 404:
            if "model" in detail.lower() and self.model:
                hint = " or pull it with ollama pull" if self.kind == "ollama" else ""
                return SourceError(f"{_SERVICE} has no model '{self.model}': correct the model "
                                   f"name{hint}.", code=code, kind=Fault.SETUP)
            return SourceError(f"{_SERVICE} has no such address: check the base URL "
                               f"(e.g. {_EXAMPLE[self.kind]}).", code=code, kind=Fault.SETUP)
        if status == 429:
            if _no_credit(response):
                return SourceError("The AI account has no credit left: add credit with the "
                                   "provider or use another key.", code="insufficient_quota",
                                   kind=Fault.NO_CREDIT)
            pause = retry_pause(response, 0, 0.5) if response.headers.get("Retry-After") else 0.0
            wait = f" (it asks to wait {pause:.0f} s)" if pause >= 1 else ""
            return SourceError(f"{_SERVICE} is limiting requests from this key{wait}: try "
                               "again later.", code=code, kind=Fault.BUSY)
        if status == 503:
            return SourceError(f"{_SERVICE} is unavailable (it may be loading the model or "
                               "restarting): try again in a minute.", code=code,
                               kind=Fault.BUSY)
        if status >= 500:
            return SourceError(f"{_SERVICE} had an internal error{tail}", code=code)
        if status in (400, 422):
            return SourceError(f"{_SERVICE} rejected the question{tail}", code=code,
                               kind=Fault.REFUSED)
        return SourceError(f"{_SERVICE} answered with an error{tail}", code=code)

    def _not_this_service(self, body: Any) -> SourceError:
        return SourceError(f"{self.where} answered, but not as an {_PRODUCT[self.kind]} service: "
                           f"check the address (e.g. {_EXAMPLE[self.kind]}).", code="format",
                           details=str(body)[:300], kind=Fault.SETUP)


def tool_result_message(kind: str, call: ToolCall, content: str) -> dict[str, Any]:
    """The message that hands a tool's result back to the model, in the service's own shape."""
    if kind == "ollama":
        return {"role": "tool", "tool_name": call.name, "content": content}
    if kind == "openai":
        return {"role": "tool", "tool_call_id": call.id, "content": content}
    raise SourceError(f"An AI service of type '{kind}' does not call tools.", code="tools",
                      kind=Fault.SETUP)


def assistant_message(kind: str, reply: ChatReply) -> dict[str, Any]:
    """The model's own turn, to send back before the tool results of its tool calls."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or ""}
    if not reply.tool_calls:
        return message
    if kind == "ollama":
        message["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments or {}}}
                                 for c in reply.tool_calls]
    else:
        message["tool_calls"] = [{"id": c.id, "type": "function",
                                  "function": {"name": c.name, "arguments": c.raw_arguments}}
                                 for c in reply.tool_calls]
    return message


# --------------------------------------------------------------------------------------------
# Helpers

_EXAMPLE = {"openai": "http://localhost:11434/v1", "ollama": "http://localhost:11434",
            "relay": "http://ai-relay:5000/chat"}
_PRODUCT = {"openai": "OpenAI-compatible", "ollama": "Ollama", "relay": "relay"}


class _AiHttp(HttpClient):
    """The shared HTTP helper with the AI service's key, retries and wording."""

    def __init__(self, base_url: str, kind: str, api_key: str, timeout_s: float) -> None:
        wording = Wording(_SERVICE, _SERVICE.lower(), "connection settings",
                          _EXAMPLE.get(kind, _EXAMPLE["openai"]), request="the question",
                          slow_hint=": it may be busy or the model too slow for this time limit")
        super().__init__(base_url, wording, timeout_s=timeout_s, pool_connections=1,
                         pool_size=4, retries=_retry_rule)
        self._api_key = api_key

    def configure(self, session: requests.Session) -> None:
        if self._api_key:
            session.headers["Authorization"] = f"Bearer {self._api_key}"


def _retry_rule() -> RetryRule:
    limited = failed = 0

    def pause(response: requests.Response) -> float | None:
        nonlocal limited, failed
        status = response.status_code
        if status == 429 and not _no_credit(response) and limited < MAX_RATE_LIMIT_RETRIES:
            limited += 1
            return retry_pause(response, limited - 1, 0.5)
        if status >= 500 and failed < 1:
            failed += 1
            return min(retry_pause(response, 0, 0.5), 1.0) if status == 503 else 0.2
        return None

    return pause


def _number(value: Any, default: float, minimum: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number >= minimum else default


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts: [{"type": "text", "text": "…"}]
        return "".join(str(p.get("text") or "") for p in value if isinstance(p, dict))
    return str(value)


def _has_model(names: list[str], model: str) -> bool:
    wanted = model.lower()
    for name in (n.lower() for n in names):
        if name == wanted or name == f"{wanted}:latest" or name.split("/")[-1] == wanted:
            return True
    return False


def _parse_arguments(name: str, raw: str) -> tuple[dict[str, Any] | None, str | None]:
    if not raw.strip():
        return {}, None
    try:
        value = json.loads(raw)
    except ValueError:
        return None, (f"The model's arguments for tool '{name}' are not valid JSON (perhaps cut "
                      "off).")
    if not isinstance(value, dict):
        return None, f"The model's arguments for tool '{name}' are not a JSON object."
    return value, None


def _openai_call(index: int, call: dict[str, Any]) -> ToolCall:
    function = call.get("function") if isinstance(call.get("function"), dict) else {}
    name = str(function.get("name") or "")
    raw = function.get("arguments")
    if isinstance(raw, dict):  # a few servers send an object despite the contract
        return ToolCall(str(call.get("id") or f"call_{index}"), name, raw, json.dumps(raw))
    raw_text = "" if raw is None else str(raw)
    arguments, error = _parse_arguments(name, raw_text)
    if not name:
        arguments, error = None, "The model asked for a tool without naming it."
    return ToolCall(str(call.get("id") or f"call_{index}"), name, arguments, raw_text, error)


def _ollama_call(index: int, call: dict[str, Any]) -> ToolCall:
    function = call.get("function") if isinstance(call.get("function"), dict) else {}
    name = str(function.get("name") or "")
    raw = function.get("arguments")
    call_id = str(call.get("id") or f"call_{index}")
    if isinstance(raw, dict):
        arguments: dict[str, Any] | None = raw
        raw_text, error = json.dumps(raw), None
    else:
        raw_text = "" if raw is None else str(raw)
        arguments, error = _parse_arguments(name, raw_text)
    if not name:
        arguments, error = None, "The model asked for a tool without naming it."
    return ToolCall(call_id, name, arguments, raw_text, error)


def _ollama_message(message: dict[str, Any]) -> dict[str, Any]:
    """Ollama wants tool-call arguments as objects: convert JSON strings from OpenAI shapes."""
    calls = message.get("tool_calls")
    if not isinstance(calls, list):
        return message
    converted = []
    for call in calls:
        function = dict(call.get("function") or {}) if isinstance(call, dict) else {}
        if isinstance(function.get("arguments"), str):
            arguments, _ = _parse_arguments(str(function.get("name") or ""),
                                            function["arguments"])
            function["arguments"] = arguments or {}
        converted.append({"function": function})
    return {**message, "tool_calls": converted}


def _json_body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise SourceError(f"{_SERVICE} answered with something that is not JSON: check the "
                          "address.", code="format", details=response.text[:300],
                          kind=Fault.SETUP) from None


def _error_text(response: requests.Response) -> str:
    """The message of `{"error": {"message": …}}`, `{"error": "…"}` or a short plain body."""
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            body = error.get("message") or error.get("code") or ""
        elif error:
            body = error
        else:
            body = body.get("message") or body.get("detail") or ""
    text = str(body or "").strip()
    return "" if text.startswith("<") else text[:300]  # an HTML error page says nothing useful


def _no_credit(response: requests.Response) -> bool:
    if response.status_code != 429:
        return False
    try:
        text = response.text
    except (requests.RequestException, OSError):
        return False
    return "insufficient_quota" in text

"""A local AI service double on 127.0.0.1: OpenAI chat completions, Ollama /api/chat, the relay.

Shapes follow the documented contracts of OpenAI chat completions, Ollama and the old relay:
OpenAI `chat.completion` objects and `{"error": {message, type, code}}` bodies under /v1;
Ollama `{model, message, done}` and `{"error": "…"}` under /api; the old relay's
`{"response": …}` at /relay. Each test scripts replies, sign-in, rate limits, failures, latency or a
silent server, and reads `requests`.

tests/conftest.py loads the fixture as a plugin; test modules may also import names from here,
which is why pytest must not rewrite this module: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

DEFAULT_MODELS = ("llama3", "mistral", "qwen2.5")


@dataclass
class Call:
    """A tool call the double's model makes; `arguments` as a dict, or raw text sent as is."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)


@dataclass
class Reply:
    text: str = ""
    calls: list[Call] = field(default_factory=list)
    finish_reason: str | None = None  # None: "tool_calls" when there are calls, else "stop"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the raw text when it is not JSON


class AiServer:
    """The double: start() / stop(), or use it as a context manager."""

    def __init__(self) -> None:
        self.models: list[str] = list(DEFAULT_MODELS)
        self.replies: list[Reply] = []  # next chat answers, in order; then `default_text`
        self.default_text = "All units are running normally."
        self.key: str | None = None  # a bearer key every request must carry
        self.latency = 0.0  # seconds added to every request
        self.silent = False  # accept connections and requests, never answer
        self.drip = 0.0  # seconds between the bytes of every answer's body (a trickling link)
        self.models_status: int | None = None  # e.g. 404: the server lists no models
        self.relay_shape = "response"  # response | output_text | text (a plain-text body)
        self.requests: list[Request] = []
        self._rate_limits: list[str] = []  # Retry-After values of the next 429 answers
        self._no_credit = False
        self._failures: list[int] = []  # statuses of the next failures (500, 503…)
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = 0

    # -- scripting ----------------------------------------------------------------------------

    def reply(self, text: str = "", *calls: Call, finish_reason: str | None = None) -> None:
        self.replies.append(Reply(text, list(calls), finish_reason))

    def rate_limit(self, times: int = 1, retry_after: float | str = 1) -> None:
        self._rate_limits.extend([str(retry_after)] * times)

    def no_credit(self, on: bool = True) -> None:
        self._no_credit = on

    def fail(self, times: int = 1, status: int = 500) -> None:
        self._failures.extend([status] * times)

    def chats(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith(("/chat/completions", "/api/chat"))]

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> AiServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.ai = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> AiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, kind: str = "openai", **extra: Any) -> dict[str, Any]:
        """Connection settings pointing at this double."""
        base = {"openai": f"{self.origin}/v1", "ollama": self.origin,
                "relay": f"{self.origin}/relay"}[kind]
        settings: dict[str, Any] = {"kind": kind, "base_url": base, "model": self.models[0]}
        settings.update(extra)
        return settings

    # -- the contracts ------------------------------------------------------------------------

    def handle(self, handler: _Handler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        path = urlsplit(handler.path).path.rstrip("/")
        with self._lock:
            self.requests.append(Request(method, path, dict(handler.headers.items()), body))
        if self.silent:
            self._released.wait(30)
            handler.close_connection = True
            return
        if self.latency:
            time.sleep(self.latency)
        native = path.startswith("/api/")
        if self.key is not None and handler.headers.get("Authorization") != f"Bearer {self.key}":
            handler.reply(401, _error(native, "Incorrect API key provided.",
                                      "invalid_request_error", "invalid_api_key"))
            return
        with self._lock:
            retry_after = self._rate_limits.pop(0) if self._rate_limits else None
            failure = self._failures.pop(0) if self._failures else None
        if self._no_credit:
            handler.reply(429, _error(native, "You exceeded your current quota, please check "
                                      "your plan and billing details.", "insufficient_quota",
                                      "insufficient_quota"))
            return
        if retry_after is not None:
            handler.reply(429, _error(native, "Rate limit reached for requests.", "requests",
                                      "rate_limit_exceeded"), {"Retry-After": retry_after})
            return
        if failure is not None:
            handler.reply(failure, _error(native, "The server had an error while processing "
                                          "your request.", "server_error", None))
            return
        if method == "GET" and path == "/v1/models":
            if self.models_status:
                handler.reply(self.models_status, _error(False, "Not found.",
                                                          "invalid_request_error", None))
                return
            handler.reply(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1700000000, "owned_by": "library"}
                for m in self.models]})
        elif method == "GET" and path == "/api/tags":
            handler.reply(200, {"models": [
                {"name": f"{m}:latest", "model": f"{m}:latest", "size": 4661224676,
                 "digest": "sha256:0000", "details": {"format": "gguf"}} for m in self.models]})
        elif method == "POST" and path == "/v1/chat/completions":
            handler.reply(*self._openai_chat(body))
        elif method == "POST" and path == "/api/chat":
            handler.reply(*self._ollama_chat(body))
        elif method == "POST" and path == "/relay":
            self._relay(handler, body)
        else:
            handler.reply(404, _error(native, f"Unknown path {path}.", "invalid_request_error",
                                      None) if native or path.startswith("/v1") else None)

    def _next(self) -> Reply:
        with self._lock:
            return self.replies.pop(0) if self.replies else Reply(self.default_text)

    def _known(self, body: Any) -> str | None:
        model = body.get("model") if isinstance(body, dict) else None
        if not isinstance(model, str):
            return None
        wanted = model.removesuffix(":latest")
        return model if wanted in self.models else None

    def _openai_chat(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return 400, _error(False, "'messages' is a required property.",
                               "invalid_request_error", None)
        model = self._known(body)
        if model is None:
            return 404, _error(False, f"The model `{body.get('model')}` does not exist or you do "
                               "not have access to it.", "invalid_request_error",
                               "model_not_found")
        reply = self._next()
        with self._lock:
            self._ids += 1
            number = self._ids
        message: dict[str, Any] = {"role": "assistant",
                                   "content": reply.text if reply.text or not reply.calls
                                   else None}
        if reply.calls:
            message["tool_calls"] = [
                {"id": f"call_{number}_{i}", "type": "function",
                 "function": {"name": c.name, "arguments": c.arguments
                              if isinstance(c.arguments, str) else json.dumps(c.arguments)}}
                for i, c in enumerate(reply.calls)]
        reason = reply.finish_reason or ("tool_calls" if reply.calls else "stop")
        return 200, {"id": f"chatcmpl-{number}", "object": "chat.completion",
                     "created": int(time.time()), "model": model,
                     "choices": [{"index": 0, "message": message, "logprobs": None,
                                  "finish_reason": reason}],
                     "usage": {"prompt_tokens": 20, "completion_tokens": 8, "total_tokens": 28}}

    def _ollama_chat(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return 400, {"error": "messages is required"}
        model = self._known(body)
        if model is None:
            return 404, {"error": f"model \"{body.get('model')}\" not found, try pulling it "
                                  "first"}
        reply = self._next()
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.calls:
            message["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}}
                                     for c in reply.calls]
        return 200, {"model": model, "created_at": "2024-07-22T20:33:28.123648Z",
                     "message": message, "done_reason": reply.finish_reason or "stop",
                     "done": True, "total_duration": 5191566416, "eval_count": 8}

    def _relay(self, handler: _Handler, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            handler.reply(400, {"error": "message is required"})
            return
        text = self._next().text
        if self.relay_shape == "text":
            handler.reply(200, text.encode(), content_type="text/plain; charset=utf-8")
        else:
            handler.reply(200, {self.relay_shape: text})


def _error(native: bool, message: str, kind: str, code: str | None) -> dict[str, Any]:
    if native:
        return {"error": message}
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


# --------------------------------------------------------------------------------------------
# HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    ai: AiServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that give up early are part of the tests, not failures of the double


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server
    timeout = 10

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.ai.handle(self, "GET")

    def do_POST(self) -> None:  # noqa: N802
        self.server.ai.handle(self, "POST")

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else (
            b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not self.server.ai.drip:
            self.wfile.write(data)
            return
        for at in range(len(data)):  # a client that gives up ends this with a broken pipe
            self.wfile.write(data[at:at + 1])
            time.sleep(self.server.ai.drip)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def ai_server() -> Iterator[AiServer]:
    with AiServer() as server:
        yield server

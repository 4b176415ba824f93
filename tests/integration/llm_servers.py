"""A small HTTP server on 127.0.0.1 that speaks the wire protocols of OpenAI chat completions,
Anthropic messages and Ollama chat, with scripted answers, for driving the official SDKs.

    with LLMServer(TeamScript()) as server:
        OpenAI(base_url=server.openai_base_url, api_key="k")...

Every request is recorded (`server.requests`); `fail_next(429, headers={"Retry-After": "1"})`
makes the next request(s) fail the way the real service does. `TeamScript` plays a team of
agents: it reads our prompts (the task, the files shown) and answers in our answer format, so a
whole project run can go through a provider.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATHS = {
    "/v1/chat/completions": "openai",
    "/v1/messages": "anthropic",
    "/api/chat": "ollama",
}


@dataclass
class ChatCall:
    """A chat request as the server understood it, whatever the protocol."""

    protocol: str
    model: str
    messages: list[dict[str, str]]  # the system prompt first, as {"role": "system", ...}
    structured: bool = False

    @property
    def last_user(self) -> str:
        return next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), "")

    @property
    def text(self) -> str:
        return "\n".join(m["content"] for m in self.messages)


@dataclass
class Exchange:
    protocol: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int
    at: float
    call: ChatCall | None = None


def _content(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # Anthropic content blocks
        return "".join(b.get("text", "") for b in value if isinstance(b, dict))
    return ""


def _call_of(protocol: str, body: dict[str, Any]) -> ChatCall:
    messages = [{"role": m["role"], "content": _content(m.get("content"))}
                for m in body.get("messages", [])]
    if protocol == "anthropic" and body.get("system"):
        messages.insert(0, {"role": "system", "content": _content(body["system"])})
    structured = bool(
        body.get("response_format") or body.get("format") or body.get("output_config")
    )
    return ChatCall(protocol, body.get("model", ""), messages, structured)


def _tokens(text: str) -> int:
    return len(text) // 4 + 1


def _reply(protocol: str, call: ChatCall, text: str) -> dict[str, Any]:
    tokens_in, tokens_out = _tokens(call.text), _tokens(text)
    if protocol == "openai":
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": call.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": tokens_in,
                "completion_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        }
    if protocol == "anthropic":
        return {
            "id": "msg_scripted",
            "type": "message",
            "role": "assistant",
            "model": call.model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out},
        }
    return {
        "model": call.model,
        "created_at": "2025-01-01T00:00:00.000000Z",
        "message": {"role": "assistant", "content": text},
        "done": True,
        "done_reason": "stop",
        "total_duration": 1000,
        "load_duration": 10,
        "prompt_eval_count": tokens_in,
        "prompt_eval_duration": 100,
        "eval_count": tokens_out,
        "eval_duration": 100,
    }


def _error(protocol: str, status: int, message: str) -> dict[str, Any]:
    kind = {429: "rate_limit_error", 401: "authentication_error", 404: "not_found_error"}.get(
        status, "api_error"
    )
    if protocol == "openai":
        return {"error": {"message": message, "type": kind, "param": None, "code": kind}}
    if protocol == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": message}


class LLMServer:
    """The scripted server; a context manager that serves on a free loopback port."""

    def __init__(self, answer: Callable[[ChatCall], str]) -> None:
        self.answer = answer
        self.requests: list[Exchange] = []
        self._faults: deque[tuple[int, dict[str, str], str]] = deque()
        self._lock = threading.Lock()
        self.on_request: Callable[[ChatCall], None] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                server._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                self._send(404, {"error": "not found"}, {})

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- addresses -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.base_url

    @property
    def ollama_host(self) -> str:
        return self.base_url

    def env(self, provider: str, model: str = "gpt-4o-mini") -> dict[str, str]:
        """Environment variables that point QL_LLM_PROVIDER=<provider> at this server."""
        env = {"QL_LLM_PROVIDER": provider, "QL_LLM_MODEL": model}
        if provider == "openai":
            env |= {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": self.openai_base_url}
        elif provider == "anthropic":
            env |= {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": self.base_url}
        else:
            env |= {"OLLAMA_HOST": self.ollama_host}
        return env

    # -- control ---------------------------------------------------------------------------------
    def fail_next(
        self, status: int, *, headers: dict[str, str] | None = None, times: int = 1,
        message: str = "scripted failure",
    ) -> None:
        with self._lock:
            for _ in range(times):
                self._faults.append((status, dict(headers or {}), message))

    def chat_requests(self) -> list[Exchange]:
        with self._lock:
            return [r for r in self.requests if r.call is not None]

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- serving ---------------------------------------------------------------------------------
    def _handle(self, handler: Any) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        path = handler.path.split("?", 1)[0]
        protocol = PATHS.get(path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        at = time.monotonic()
        if protocol is None:
            handler._send(404, {"error": f"no route {path}"}, {})
            return
        call = _call_of(protocol, body)
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
        if fault is not None:
            status, extra, message = fault
            with self._lock:
                self.requests.append(Exchange(protocol, path, headers, body, status, at, call))
            handler._send(status, _error(protocol, status, message), extra)
            return
        if self.on_request is not None:
            self.on_request(call)
        text = self.answer(call)
        with self._lock:
            self.requests.append(Exchange(protocol, path, headers, body, 200, at, call))
        handler._send(200, _reply(protocol, call, text), {})


# -- a scripted team of agents ---------------------------------------------------------------------

_REFINE = re.compile(r"generated the files of task (\S+) from templates")
_REVIEW = re.compile(r"Review the change as (\w+)")
_REPAIR = re.compile(r"The project's tests fail \(repair round (\d+)\)")
_FILE = re.compile(r"^FILE: (\S+)\n(`{3,})[\w.+-]*\n(.*?)^\2$", re.S | re.M)

EXTRA_TEST = '''"""Extra checks the QA agent added."""

from fastapi.testclient import TestClient


def test_health_reports_ok(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "%s"}
'''


def shown_files(text: str) -> dict[str, str]:
    """The files a prompt shows, path -> content."""
    return {m.group(1): m.group(3) for m in _FILE.finditer(text)}


@dataclass
class TeamScript:
    """Answers our agents' prompts like a small, competent team would.

    - the writer adds docs/GUIDE.md;
    - the backend agent of the first routers file adds a comment (a DIFF); the security reviewer
      asks for changes on that once, and the author answers with a second DIFF;
    - the QA agent of tests/test_<entity>.py adds tests/test_<entity>_extra.py — failing if
      `plant_failure`, which a repair then fixes;
    - every other refine keeps the scaffold (a SUMMARY alone); other reviews approve;
    - for tasks in `malformed_first`, the first answer breaks the format.
    """

    entity: str = "book"
    plant_failure: bool = False
    malformed_first: set[str] = field(default_factory=set)
    log: list[tuple[str, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def __call__(self, call: ChatCall) -> str:
        prompt = call.last_user
        if (m := _REVIEW.search(prompt)) is not None:
            return self._review(m.group(1), prompt)
        if "reviewed your change and asks for changes" in prompt:
            return self._answer(prompt)
        if (m := _REPAIR.search(prompt)) is not None:
            return self._repair(prompt)
        task = next((m.group(1) for msg in call.messages if (m := _REFINE.search(msg["content"]))),
                    None)
        if task is not None:
            return self._refine(task, call)
        return "SUMMARY: nothing to do"

    def _refine(self, task: str, call: ChatCall) -> str:
        self.log.append(("refine", task))
        if task in self.malformed_first and task not in self._seen:
            self._seen.add(task)
            return (
                "Here is my change:\nFILE: ../../etc/passwd\n```\nroot:x:0:0\n```\n"
            )
        # The refine prompt (on a retry the last message is the feedback on the rejected answer).
        prompt = next(m["content"] for m in call.messages if _REFINE.search(m["content"]))
        editable = shown_files(prompt.split("## Other files", 1)[0])
        router = f"app/routers/{self.entity}.py"
        tests = f"tests/test_{self.entity}.py"
        if router in editable:
            first = editable[router].splitlines()[0]
            return (
                "SUMMARY: note the business rules at the top of the router\n\n"
                f"DIFF: {router}\n```diff\n@@ -1,1 +1,2 @@\n"
                f"+# Business rules: see docs/ARCHITECTURE.md.\n {first}\n```\n"
            )
        if tests in editable:
            status = "healthy" if self.plant_failure else "ok"
            return (
                "SUMMARY: add a health check test\n\n"
                f"FILE: tests/test_{self.entity}_extra.py\n```python\n"
                f"{EXTRA_TEST % status}```\n"
            )
        if "README.md" in editable:
            return (
                "SUMMARY: add a short user guide\n\nFILE: docs/GUIDE.md\n```markdown\n"
                "# Guide\n\nStart the service with `uvicorn app.main:app` and open /docs.\n```\n"
            )
        return "SUMMARY: the scaffold already does what this task needs"

    def _review(self, reviewer: str, prompt: str) -> str:
        self.log.append(("review", reviewer))
        if f"app/routers/{self.entity}.py" in prompt and reviewer == "security":
            return json.dumps({
                "verdict": "changes",
                "comments": [f"app/routers/{self.entity}.py: say that input is validated by "
                             "the schemas"],
            })
        return json.dumps({"verdict": "approve", "comments": []})

    def _answer(self, prompt: str) -> str:
        self.log.append(("answer", ""))
        router = f"app/routers/{self.entity}.py"
        current = shown_files(prompt).get(router)
        if current is None:
            return "SUMMARY: nothing of mine to change"
        first = current.splitlines()[0]
        return (
            "SUMMARY: document where input is validated\n\n"
            f"DIFF: {router}\n```diff\n@@ -1,1 +1,2 @@\n {first}\n"
            "+# Input is validated by the pydantic schemas in app/schemas.\n```\n"
        )

    def _repair(self, prompt: str) -> str:
        self.log.append(("repair", ""))
        path = f"tests/test_{self.entity}_extra.py"
        if path not in prompt:
            return "SUMMARY: I cannot see the failing file"
        return (
            "SUMMARY: the health endpoint reports ok; the test expected the wrong word\n\n"
            f"DIFF: {path}\n```diff\n@@ -6,1 +6,1 @@\n"
            '-    assert client.get("/health").json() == {"status": "healthy"}\n'
            '+    assert client.get("/health").json() == {"status": "ok"}\n```\n'
        )

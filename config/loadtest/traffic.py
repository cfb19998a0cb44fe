"""The load test's clients: threads, each looping over a weighted mix of requests.

Threads with ``requests`` rather than locust or asyncio: the server side (gunicorn's workers
and PostgreSQL) is what is measured, a few dozen blocking clients are well within one
process's means, and the admin round trip (sign in, read the change form, post it back with
its cookies) is plain sequential code. Every loop is bounded twice: by a deadline and by a
shared request budget.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from .forms import error_text, field_value, form_fields, replace_field
from .stats import Failure, Recorder

# The stack runs behind no TLS here; a load balancer that terminates TLS says so in this
# header, and the app (SECURE_PROXY_SSL_HEADER) then treats the request as HTTPS.
FORWARDED = {"X-Forwarded-Proto": "https"}
# A new connection for every request. Reusing an idle keep-alive connection races with the
# server closing it at its keep-alive timeout (the request meets a reset); a load balancer
# avoids that with an idle timeout shorter than the backend's, a test client most simply
# by not keeping connections. On loopback a connection costs a fraction of a millisecond.
NO_KEEPALIVE = {"Connection": "close"}
KINDS = ("page", "static", "api", "search", "submit", "edit")


@dataclass
class EditTarget:
    """One admin change form that clients save; a lock keeps two clients off it at once."""

    app_label: str
    model_name: str
    pk: int
    field: str
    max_length: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    saves: list[AcceptedSave] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/admin/{self.app_label}/{self.model_name}/{self.pk}/change/"

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model_name} {self.pk}"


@dataclass
class AcceptedSave:
    token: str
    value: str
    server: str


@dataclass
class AcceptedSubmission:
    id: int
    title: str
    server: str


@dataclass
class Workload:
    servers: list[str]
    pages: list[str]
    static: list[str]
    api: list[str]
    searches: list[str]
    weights: dict[str, int]
    partner_key: str
    event_slug: str
    session_start: str
    session_end: str
    editor: tuple[str, str]
    targets: list[EditTarget]
    timeout: float = 30.0
    organisation: object = None
    submissions: list[AcceptedSubmission] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accept_submission(self, submission: AcceptedSubmission) -> None:
        with self._lock:
            self.submissions.append(submission)


class Budget:
    """A shared cap on the number of requests, and the deadline, for every client."""

    def __init__(self, requests_allowed: int, seconds: float) -> None:
        self.left = requests_allowed
        self.deadline = time.monotonic() + seconds
        self.stopped = threading.Event()
        self._lock = threading.Lock()

    def take(self) -> bool:
        if self.stopped.is_set() or time.monotonic() >= self.deadline:
            return False
        with self._lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def origin(server: str) -> str:
    """How the app sees a server's origin behind the TLS-terminating proxy."""
    return "https://" + urlsplit(server).netloc


def sign_in(
    http: requests.Session, server: str, editor: tuple[str, str], timeout: float
) -> requests.Response:
    """Sign in to the admin as a browser does: read the form (and its CSRF cookie), post it."""
    login_url = f"{server}/admin/login/?next=/admin/"
    page = http.get(login_url, headers={**FORWARDED, **NO_KEEPALIVE}, timeout=timeout)
    if page.status_code != 200:
        return page
    fields = form_fields(page.text, "login-form") or []
    fields = replace_field(fields, "username", editor[0])
    fields = replace_field(fields, "password", editor[1])
    return http.post(
        login_url,
        data=fields,
        headers={
            **FORWARDED,
            **NO_KEEPALIVE,
            "Referer": origin(server) + "/admin/login/",
            "Origin": origin(server),
        },
        timeout=timeout,
        allow_redirects=False,
    )


class Client:
    """One simulated user: anonymous reads and, when the mix says so, partner and editor writes."""

    def __init__(self, index: int, workload: Workload, budget: Budget, seed: int) -> None:
        self.index = index
        self.work = workload
        self.budget = budget
        # Reproducible choices of what to request, not secrets.
        self.rng = random.Random(seed * 1000 + index)  # noqa: S311
        self.recorder = Recorder()
        self.visitor = requests.Session()
        self.editor: requests.Session | None = None
        kinds = [kind for kind in KINDS if workload.weights.get(kind, 0) > 0]
        self.kinds = kinds
        self.kind_weights = [workload.weights[kind] for kind in kinds]

    # -- the loop -----------------------------------------------------------------------

    def run(self) -> None:
        # One request of each kind first, so that even a run of a few seconds (CI's smoke)
        # writes and checks something; then the weighted mix.
        first = self.rng.sample(self.kinds, len(self.kinds))
        try:
            while self.budget.take():
                kind = first.pop() if first else self.rng.choices(self.kinds, self.kind_weights)[0]
                getattr(self, f"do_{kind}")()
        finally:
            self.visitor.close()
            if self.editor is not None:
                self.editor.close()

    def server(self) -> str:
        return self.rng.choice(self.work.servers)

    def other_server(self, server: str) -> str:
        others = [s for s in self.work.servers if s != server]
        return self.rng.choice(others) if others else server

    def call(
        self,
        kind: str,
        http: requests.Session,
        method: str,
        url: str,
        *,
        expect: tuple[int, ...] = (200,),
        explain=None,
        **kwargs,
    ) -> requests.Response | None:
        """One timed request; anything but an expected status is recorded as a failure.

        ``explain(response)`` may name the failure better than its status code does.
        """
        kwargs.setdefault("timeout", self.work.timeout)
        kwargs.setdefault("allow_redirects", False)
        kwargs["headers"] = {**FORWARDED, **NO_KEEPALIVE, **kwargs.get("headers", {})}
        started = time.perf_counter()
        try:
            response = http.request(method, url, **kwargs)
        except requests.Timeout:
            self._fail(kind, method, url, time.perf_counter() - started, "timeout", "")
            return None
        except requests.ConnectionError as exc:
            self._fail(
                kind, method, url, time.perf_counter() - started, "connection", str(exc)[:200]
            )
            return None
        elapsed = time.perf_counter() - started
        status = str(response.status_code)
        if response.status_code in expect:
            self.recorder.record(kind, elapsed, status)
        else:
            detail = response.headers.get("Location", "") or _snippet(response)
            if explain is not None:
                status, detail = explain(response) or (status, detail)
            self._fail(kind, method, url, elapsed, status, detail)
        return response

    def _fail(self, kind, method, url, elapsed, status, detail):
        self.recorder.record(kind, elapsed, status, Failure(kind, method, url, status, detail))

    # -- kinds of traffic ---------------------------------------------------------------

    def do_page(self) -> None:
        self.call("page", self.visitor, "GET", self.server() + self.rng.choice(self.work.pages))

    def do_static(self) -> None:
        self.call("static", self.visitor, "GET", self.server() + self.rng.choice(self.work.static))

    def do_api(self) -> None:
        self.call("api", self.visitor, "GET", self.server() + self.rng.choice(self.work.api))

    def do_search(self) -> None:
        self.call(
            "search", self.visitor, "GET", self.server() + self.rng.choice(self.work.searches)
        )

    def do_submit(self) -> None:
        token = uuid.uuid4().hex[:12]
        title = f"Load-test side session {token}"
        server = self.server()
        response = self.call(
            "submit",
            self.visitor,
            "POST",
            f"{server}/api/v1/submissions/sessions/",
            expect=(201,),
            json={
                "event": self.work.event_slug,
                "title": title,
                "summary": "A side session submitted by the load test.",
                "start": self.work.session_start,
                "end": self.work.session_end,
                "room": f"Room {self.index}",
            },
            headers={
                "Authorization": f"Bearer {self.work.partner_key}",
                # A fresh key per submission: the load test never retries, so a replay would
                # only show up as a duplicate in the data check.
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        if response is not None and response.status_code == 201:
            self.work.accept_submission(
                AcceptedSubmission(id=response.json()["id"], title=title, server=server)
            )

    def do_edit(self) -> None:
        target = self._free_target()
        if target is None:  # every form is being saved by someone else: read a page instead
            self.do_page()
            return
        try:
            if self.editor is None and not self._sign_in():
                return
            self._save(target)
        finally:
            target.lock.release()

    def _free_target(self) -> EditTarget | None:
        targets = self.rng.sample(self.work.targets, len(self.work.targets))
        for target in targets:
            if target.lock.acquire(blocking=False):
                return target
        return None

    def _sign_in(self) -> bool:
        http = requests.Session()
        server = self.server()
        started = time.perf_counter()
        try:
            response = sign_in(http, server, self.work.editor, self.work.timeout)
        except requests.RequestException as exc:
            self._fail(
                "login", "POST", server, time.perf_counter() - started, "connection", str(exc)[:200]
            )
            http.close()
            return False
        elapsed = time.perf_counter() - started
        if response.status_code == 302 and "sessionid" in http.cookies:
            self.recorder.record("login", elapsed, "302")
            self.editor = http
            return True
        self._fail(
            "login",
            "POST",
            f"{server}/admin/login/",
            elapsed,
            str(response.status_code),
            error_text(response.text) or _snippet(response),
        )
        http.close()
        return False

    def _save(self, target: EditTarget) -> None:
        """Open the change form on one server and save it, with its edit token, on either."""
        reader = self.server()
        form_id = f"{target.model_name}_form"
        page = self.call("edit_form", self.editor, "GET", reader + target.path)
        if page is None or page.status_code != 200:
            return
        fields = form_fields(page.text, form_id)
        if fields is None:
            self._fail("edit_form", "GET", reader + target.path, 0, "no-form", _snippet(page))
            return
        token = uuid.uuid4().hex[:12]
        # The form strips whitespace, so the value is built as it will be stored.
        marker = f"[load test {token}]"
        base = (field_value(fields, target.field) or "").split("[load test ")[0].strip()
        base = base[: max(0, target.max_length - len(marker) - 1)].strip()
        value = f"{base} {marker}" if base else marker
        fields = replace_field(fields, target.field, value)
        fields.append(("_save", "Save"))
        writer = self.server()
        response = self.call(
            "edit_save",
            self.editor,
            "POST",
            writer + target.path,
            expect=(302,),
            data=fields,
            headers={"Referer": origin(writer) + target.path, "Origin": origin(writer)},
            explain=_refused_save,
        )
        if response is not None and response.status_code == 302:
            target.saves.append(AcceptedSave(token=token, value=value, server=writer))


def _refused_save(response: requests.Response) -> tuple[str, str] | None:
    """The admin answers a refused save with the form again: say why it was refused."""
    if response.status_code == 200:
        return "200-refused", error_text(response.text)
    return None


def _snippet(response: requests.Response, limit: int = 200) -> str:
    text = " ".join(response.text.split())
    return text[:limit]


def run_clients(workload: Workload, *, clients: int, seconds: float, max_requests: int, seed: int):
    """Run ``clients`` threads until the deadline or the request budget is spent.

    Returns the clients (with what they recorded), the time taken and any thread still alive.
    """
    budget = Budget(max_requests, seconds)
    workers = [Client(i, workload, budget, seed) for i in range(clients)]
    threads = [
        threading.Thread(target=w.run, name=f"client-{i}", daemon=True)
        for i, w in enumerate(workers)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            # Clients stop at the deadline; a request in flight has its own timeout.
            thread.join(
                timeout=max(0.0, budget.deadline - time.monotonic()) + workload.timeout * 3 + 5
            )
    except KeyboardInterrupt:
        budget.stopped.set()
        raise
    finally:
        budget.stopped.set()
    elapsed = time.monotonic() - started
    return workers, elapsed, [t.name for t in threads if t.is_alive()]

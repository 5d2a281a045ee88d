"""The mixed load of the reliability tests: client processes that read every kind of page
and post comments, shares and articles to a live server, each recording the writes the
server acknowledged (tests/storm_site.py prepares the site and reads the database after).

A client is a spawned process (not a thread), so the clients truly run at once; it imports
no part of Byline, so it starts fast. It runs until its deadline or until the test sets
the stop event, and writes what it saw to a JSON file. A write counts as acknowledged only
when its whole answer arrived: a comment's 303 names the new comment, a share's 303 (or
JSON) says it was counted, an article's 302 leads to the saved article. A request that
failed in flight is counted as an error, never as a write.
"""

import http.client
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

REQUEST_TIMEOUT = 30.0
CLIENTS = 4  # processes in a storm
EDITORS = 2  # of the clients, those that also publish
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COMMENT_LANDING = re.compile(r"#comment-(\d+)$")
SAVED_ARTICLE = re.compile(r"/editor/articles/(\d+)$")


def aged_token(site: SimpleNamespace, purpose: str, subject: int, age: int = 60) -> str:
    """A reader-form token issued `age` seconds ago (past the 3-second spam trap), signed
    as blog.formguard signs them."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    serializer = URLSafeTimedSerializer(site.form_secret, salt=site.form_salt, signer=Earlier)
    return serializer.dumps([purpose, str(subject)])


# ---------- One client ----------


@dataclass
class Answer:
    status: int
    location: str
    body: str
    cookies: dict[str, str]


@dataclass
class Record:
    """What one client sent and what the server acknowledged."""

    client: int
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # sent, but no whole answer came back
    refused: int = 0  # connections refused: no server was listening
    unexpected: list[str] = field(default_factory=list)  # answers other than the expected
    comments: list[list] = field(default_factory=list)  # [comment id, article id, status]
    shares: list[list] = field(default_factory=list)  # [article id, network] counted
    repeats: int = 0  # repeated shares, answered "not counted"
    articles: list[list] = field(default_factory=list)  # [article id, slug] published


class Client:
    def __init__(self, port: int, number: int, site: SimpleNamespace, progress):
        self.port, self.site, self.progress = port, site, progress
        self.origin = f"http://127.0.0.1:{port}"
        self.record = Record(number)
        self.rng = random.Random(number)
        self.editor_cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.sent = 0

    def send(
        self, method: str, path: str, fields: dict | None = None, headers: dict | None = None
    ) -> Answer | None:
        """One request on a new connection; None (and an error noted) if it failed."""
        self.record.requests += 1
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        all_headers = {"Origin": self.origin, **(headers or {})}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode()
        except ConnectionRefusedError:
            self.record.refused += 1
            return None
        except (OSError, http.client.HTTPException) as exc:
            self.record.errors.append(f"{method} {path}: {exc!r}")
            return None
        finally:
            conn.close()
        self.record.statuses[response.status] += 1
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, response.getheader("Location") or "", text, cookies)

    def expect(self, answer: Answer | None, status: int, what: str) -> bool:
        if answer is None:
            return False
        if answer.status != status:
            self.record.unexpected.append(f"{what}: {answer.status} {answer.location}")
            return False
        return True

    def new_id(self, answer: Answer | None, status: int, landing: re.Pattern, what: str):
        """The id in the Location of an answer with `status`; None (noted) otherwise."""
        if not self.expect(answer, status, what):
            return None
        found = landing.search(answer.location)
        if found is None:
            self.record.unexpected.append(f"{what}: {status} to {answer.location}")
            return None
        return int(found.group(1))

    def acknowledged(self) -> None:
        if self.progress is not None:
            with self.progress.get_lock():
                self.progress.value += 1

    # ----- reads -----

    def read(self) -> None:
        path = self.rng.choice(self.site.read_paths)
        self.expect(self.send("GET", path), 200, f"GET {path}")

    # ----- comments -----

    def comment(self) -> None:
        article_id, slug, first_id = self.rng.choice(self.site.articles)
        self.sent += 1
        is_known = self.rng.random() < 0.5
        fields = {
            "name": f"Reader {self.record.client}",
            "email": self.site.known_email
            if is_known
            else f"new{self.record.client}.{self.sent}@ex.org",
            "body": f"Comment {self.sent} from client {self.record.client}.",
            "form_token": aged_token(self.site, "comment", article_id),
            "parent_id": str(first_id) if self.rng.random() < 0.3 else "",
        }
        # The known reader's device proves their address (see blog/comments/trust.py).
        headers = {"Cookie": self.site.known_cookie} if is_known else None
        answer = self.send("POST", f"/articles/{slug}/comments", fields, headers)
        comment_id = self.new_id(answer, 303, COMMENT_LANDING, f"comment on {slug}")
        if comment_id is None:
            return
        status = "approved" if is_known else "pending"
        self.record.comments.append([comment_id, article_id, status])
        self.acknowledged()

    # ----- shares -----

    def share(self) -> None:
        """A first share by a new reader: counted. After every fifth, the same reader again
        (answered in JSON, which says whether it counted): not counted."""
        article_id, slug, _ = self.rng.choice(self.site.articles)
        network = self.rng.choice(self.site.networks)
        self.sent += 1
        reader = f"10.{self.record.client}.{self.sent // 250}.{self.sent % 250 + 1}"
        counted = self._share(article_id, slug, network, reader, self.rng.random() < 0.5)
        if counted is True:
            self.record.shares.append([article_id, network])
            self.acknowledged()
            if len(self.record.shares) % 5 == 1:
                again = self._share(article_id, slug, network, reader, as_json=True)
                if again is True:
                    self.record.unexpected.append(f"{slug} on {network} counted twice")
                elif again is False:
                    self.record.repeats += 1
        elif counted is False:
            self.record.unexpected.append(f"first share of {slug} by {reader} not counted")

    def _share(
        self, article_id: int, slug: str, network: str, reader: str, as_json: bool
    ) -> bool | None:
        """Whether the server says it counted the share; None without a whole answer.

        Without JSON the answer is the 303 to the network (or back to the article)."""
        headers = {"X-Forwarded-For": reader}
        if as_json:
            headers["Accept"] = "application/json"
        fields = {"token": aged_token(self.site, "share", article_id)}
        answer = self.send("POST", f"/articles/{slug}/share/{network}", fields, headers)
        if not self.expect(answer, 200 if as_json else 303, f"share {slug} on {network}"):
            return None
        if as_json:
            return bool(json.loads(answer.body)["counted"])
        if network in self.site.in_page_networks:
            return answer.location.endswith(f"/articles/{slug}#share")
        return answer.location.startswith(("https://", "mailto:"))

    # ----- publishing -----

    def sign_in(self) -> bool:
        page = self.send("GET", "/editor/login")
        if not self.expect(page, 200, "GET /editor/login"):
            return False
        self.editor_cookies = page.cookies
        fields = {
            "email": self.site.editor_email,
            "password": self.site.editor_password,
            "csrf_token": CSRF_FIELD.search(page.body).group(1),
        }
        answer = self.send("POST", "/editor/login", fields, self.cookie_header())
        if not self.expect(answer, 302, "sign in"):
            return False
        self.editor_cookies.update(answer.cookies)
        form = self.send("GET", "/editor/articles/new", headers=self.cookie_header())
        if not self.expect(form, 200, "GET /editor/articles/new"):
            return False
        self.editor_cookies.update(form.cookies)
        self.csrf_token = CSRF_FIELD.search(form.body).group(1)
        return True

    def cookie_header(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.editor_cookies.items())}

    def publish(self) -> None:
        if not self.csrf_token and not self.sign_in():
            return
        self.sent += 1
        slug = f"storm-{self.record.client}-{self.sent}"
        fields = {
            "csrf_token": self.csrf_token,
            "title": f"Storm report {self.record.client}-{self.sent}",
            "slug": slug,
            "brief": "Published while the harbour was busy.",
            "body": f"Story {self.sent} from the editor's desk {self.record.client}.",
            "section_id": str(self.site.section_id),
            "topic_ids": str(self.site.topic_id),
            "author_id": str(self.site.editor_id),
            "comments_open": "y",
            "action": "publish",
        }
        answer = self.send("POST", "/editor/articles/new", fields, self.cookie_header())
        article_id = self.new_id(answer, 302, SAVED_ARTICLE, f"publish {slug}")
        if article_id is None:
            return
        self.editor_cookies.update(answer.cookies)
        self.record.articles.append([article_id, slug])
        self.acknowledged()
        # As a browser does: the editor page again (which shows the flashed message).
        edit_page = urlsplit(answer.location).path
        page = self.send("GET", edit_page, headers=self.cookie_header())
        if self.expect(page, 200, f"GET {edit_page}"):
            self.editor_cookies.update(page.cookies)
        # Readers see it at once: the new article is public, in no stale cached copy.
        self.expect(self.send("GET", f"/articles/{slug}"), 200, f"GET new article {slug}")


def probe(port: int, site: SimpleNamespace) -> Record:
    """Every page once, then one comment, share and publication, from this process."""
    client = Client(port, 99, site, progress=None)
    for path in site.read_paths:
        client.expect(client.send("GET", path), 200, f"GET {path}")
    client.comment()
    client.share()
    client.publish()
    return client.record


READER_MIX = {"read": 5, "comment": 2, "share": 2}
EDITOR_MIX = {**READER_MIX, "publish": 1}


def run_client(port, number, site, is_editor, seconds, stop, progress, out_path) -> None:
    """One client process: a mixed load until `seconds` pass or `stop` is set."""
    client = Client(port, number, site, progress)
    mix = EDITOR_MIX if is_editor else READER_MIX
    actions, weights = list(mix), list(mix.values())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.is_set():
        getattr(client, client.rng.choices(actions, weights)[0])()
    Path(out_path).write_text(json.dumps(client.record.__dict__))


# ---------- The storm: several clients at once ----------


@dataclass
class Tally:
    """Every client's record, merged."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    unexpected: list[str] = field(default_factory=list)
    comments: dict[int, tuple[int, str]] = field(default_factory=dict)
    shares: Counter = field(default_factory=Counter)  # article id -> counted shares
    repeats: int = 0
    articles: dict[str, int] = field(default_factory=dict)  # slug -> id

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def writes(self) -> int:
        return len(self.comments) + sum(self.shares.values()) + len(self.articles)

    def figures(self) -> str:
        return (
            f"{self.requests} requests, {self.writes} acknowledged writes "
            f"({len(self.comments)} comments, {sum(self.shares.values())} shares, "
            f"{len(self.articles)} articles), {self.repeats} repeated shares not counted, "
            f"{len(self.errors)} cut off in flight, {self.refused} refused, "
            f"{self.server_errors} 5xx, "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )

    def add(self, record: dict) -> None:
        self.requests += record["requests"]
        self.statuses.update({int(k): v for k, v in record["statuses"].items()})
        self.errors += record["errors"]
        self.refused += record["refused"]
        self.unexpected += record["unexpected"]
        self.comments.update({cid: (aid, status) for cid, aid, status in record["comments"]})
        self.shares.update(article_id for article_id, _ in record["shares"])
        self.repeats += record["repeats"]
        self.articles.update({slug: aid for aid, slug in record["articles"]})


class Storm:
    """Client processes hammering one server; `acknowledged` counts writes as they land."""

    def __init__(
        self, port: int, site, tmp_path: Path, *, seconds, clients=CLIENTS, editors=EDITORS
    ):
        context = get_context("spawn")  # a clean interpreter: nothing of pytest's state
        self.stop = context.Event()
        self.progress = context.Value("i", 0)
        self.outputs = [tmp_path / f"storm-client-{n}.json" for n in range(clients)]
        self.processes = [
            context.Process(
                target=run_client,
                args=(port, n, site, n < editors, seconds, self.stop, self.progress, out),
            )
            for n, out in enumerate(self.outputs)
        ]
        for process in self.processes:
            process.start()

    @property
    def acknowledged(self) -> int:
        return self.progress.value

    def finish(self, within: float) -> Tally:
        """Wait for every client (setting stop first if they should end now) and merge."""
        deadline = time.monotonic() + within
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
        alive = [p.pid for p in self.processes if p.is_alive()]
        for process in self.processes:
            if process.is_alive():
                process.kill()
                process.join()
        assert not alive, f"storm clients {alive} still running after {within}s"
        failed = [p.exitcode for p in self.processes if p.exitcode != 0]
        assert not failed, f"storm clients exited with {failed}"
        tally = Tally()
        for out in self.outputs:
            tally.add(json.loads(out.read_text()))
        return tally

"""The editor's lists name every fact of a row for the phone layout, where
static/css/editor.css shows each row of a .data-table as a card: each body cell carries a
data-label (shown above its value), or is the row's title, its actions, its checkbox or
its order buttons; each row has one title; the column headers stay."""

from html.parser import HTMLParser

import pytest

from blog import mail
from blog.extensions import db
from blog.models import (
    CommentStatus,
    JobFailure,
    Mailing,
    MenuLink,
    MenuLinkKind,
    MenuName,
    Page,
    Subscriber,
    Subscription,
)
from blog.models.base import utcnow
from blog.services import pages
from blog.services.pages import PageAction, PageChanges

UNLABELLED = {"row-title", "actions", "row-select", "order-buttons"}


class DataTables(HTMLParser):
    """The column headers and body cells (their attributes) of each .data-table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.reading = False  # inside a .data-table
        self.part = None  # its "thead" or "tbody"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            is_data = "data-table" in (attributes.get("class") or "").split()
            self.part = None
            if is_data:
                self.tables.append({"headers": 0, "rows": []})
            self.reading = is_data
        elif not self.reading:
            return
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag == "th" and self.part == "thead" and attributes.get("scope") == "col":
            self.tables[-1]["headers"] += 1
        elif tag in ("td", "th") and self.part == "tbody":
            self.tables[-1]["rows"][-1].append(attributes)

    def handle_endtag(self, tag):
        if tag == "table":
            self.reading = False


def data_tables(html: str) -> list[dict]:
    parser = DataTables()
    parser.feed(html)
    return parser.tables


def what_is_unnamed(table: dict) -> list[str]:
    """Why the table would make a card with an unnamed fact or no title, if it would."""
    problems = []
    for number, row in enumerate(table["rows"], start=1):
        if len(row) != table["headers"]:
            problems.append(f"row {number}: {len(row)} cells under {table['headers']} headers")
        titles = 0
        for cell in row:
            classes = set((cell.get("class") or "").split())
            titles += "row-title" in classes
            if not cell.get("data-label") and not classes & UNLABELLED:
                problems.append(f"row {number}: a cell with no data-label: {cell}")
        if titles != 1:
            problems.append(f"row {number}: {titles} title cells")
    return problems


@pytest.fixture
def full_lists(admin, make_article, make_section, make_topic, make_comment):
    """A row in every list an administrator sees."""
    article = make_article(title="Ferry timetable changes")
    harbour, ferries = make_section(name="Harbour"), make_topic(name="Ferries")
    make_comment(article, status=CommentStatus.PENDING, author_email="ruth@readers.example")
    page = pages.create_page(
        PageChanges(title="About", slug="about", summary="Who.", body="First."),
        actor=admin,
        action=PageAction.PUBLISH,
    )
    page = db.session.get(Page, page.id)
    pages.save_page(
        page,
        PageChanges(title="About us", slug="about", summary="Who.", body="Second."),
        actor=admin,
        expected_version=page.version,
    )
    (message,) = mail.queue(
        "gone@byline.test",
        "password_reset",
        subject="Choose a new password",
        kind="password_reset",
        user=admin,
        link="https://byline.test/editor/",
        valid_for="1 hour",
    )
    message.attempts, message.failed_at, message.last_error = 6, utcnow(), "550 no such user"
    db.session.add(JobFailure(job="publish_due", error="OperationalError: database is locked"))
    for position, label in enumerate(("Tips", "Jobs")):
        link = MenuLink(menu=MenuName.HEADER, position=position, kind=MenuLinkKind.URL, url="/")
        link.label = label
        db.session.add(link)
    # A reader following the site, a section and a topic, and a mailing to them.
    reader = Subscriber(email="rosa@readers.example", email_key="rosa@readers.example")
    for scope, target in (("site", None), ("section", harbour), ("topic", ferries)):
        target_id = target.id if target else None
        db.session.add(
            Subscription(
                subscriber=reader,
                scope=scope,
                list_key=Subscription.key_of(scope, target_id),
                section_id=target_id if scope == "section" else None,
                topic_id=target_id if scope == "topic" else None,
                confirmed_at=utcnow(),
            )
        )
    db.session.add(Mailing(kind="article", key=f"article:{article.id}", article_id=article.id))
    db.session.commit()
    return page.id


LISTS = [
    "/editor/articles/",
    "/editor/pages/",
    "/editor/pages/{page}/revisions",
    "/editor/sections/",
    "/editor/topics/",
    "/editor/users/",
    "/editor/comments/",
    "/editor/audit",
    "/editor/mail/failures",
    "/editor/menus",
    "/editor/subscribers",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_cell_of_every_list_is_named_for_its_card(client, login, admin, full_lists, path):
    login(admin)
    response = client.get(path.format(page=full_lists))
    assert response.status_code == 200
    tables = data_tables(response.get_data(as_text=True))
    assert tables and all(table["rows"] and table["headers"] for table in tables), tables
    problems = {n: found for n, table in enumerate(tables) if (found := what_is_unnamed(table))}
    assert not problems, f"{path}: {problems}"


def test_the_queue_offers_select_all_only_to_its_script(client, login, admin, full_lists):
    """The "select all" box is in the page hidden, for static/js/editor.js to show: without
    JavaScript a box that does nothing would be a trap."""
    login(admin)
    html = client.get("/editor/comments/").get_data(as_text=True)
    assert (
        '<label class="checkbox select-all" hidden><input type="checkbox" data-select-all="ids">'
        in html
    )
    assert 'name="ids"' in html

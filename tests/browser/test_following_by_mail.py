"""A reader follows a topic by e-mail as a reader does: the form in Chromium, the
confirmation from a real SMTP server's mailbox, the next article sent by the real worker
(`flask --app blog worker`) after an editor publishes it on gunicorn, and the one-click
leave link in that message.
"""

import re
from email.message import EmailMessage

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, ArticleStatus, Role, Section, Subscriber, Subscription, Topic
from blog.models.base import utcnow
from tests.browser.conftest import TIMEOUT_MS, close
from tests.harness import inside, new_user, wait_until
from tests.live_server import make_app, running_server
from tests.test_mailings_live import publish
from tests.test_worker_live import environment, start_worker, stop

READER = "tram.fan@example.org"
HREF = re.compile(r'href="([^"]+)"')


def mail_to(smtp_server, address: str, subject: str | None = None) -> list[EmailMessage]:
    return [
        message
        for message in smtp_server.messages
        if str(message["To"]) == address and (subject is None or message["Subject"] == subject)
    ]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_a_reader_follows_a_topic_confirms_gets_the_next_article_and_leaves(
    browser: Browser, tmp_path, smtp_server
):
    database = f"sqlite:///{tmp_path / 'site.db'}"
    env = environment(database, tmp_path, smtp_server)
    app = make_app(database, tmp_path, extra_config={"JOBS_FILE": env["FLASK_JOBS_FILE"]})
    with inside(app, migrate=True):
        editor = new_user("desk@byline.test", "Desk Editor", Role.EDITOR)
        section, topic = Section(name="City", slug="city"), Topic(name="Trams", slug="trams")
        first = Article(
            title="The tram depot opens its doors",
            slug="tram-depot",
            brief="An open day at the depot.",
            author=editor,
            section=section,
            topics=[topic],
            status=ArticleStatus.PUBLISHED,
            published_at=utcnow(),
        )
        first.set_body("Come and see the old trams.")
        db.session.add_all([editor, section, topic, first])
        db.session.commit()
        topic_id, section_id = topic.id, section.id

    log = tmp_path / "worker.log"
    with running_server(database, tmp_path, extra_env=env) as server:
        worker = start_worker({**env, "FLASK_SITE_URL": server.origin}, log)
        context = browser.new_context(
            base_url=server.origin, viewport={"width": 390, "height": 844}
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            # The topic page offers to follow it; the form asks only for an address.
            page.goto("/topic/trams")
            page.get_by_role("main").get_by_role("link", name="Follow by e-mail").click()
            expect(page).to_have_url(re.compile(r"/follow/topic/trams$"))
            page.get_by_label("Your e-mail address").fill(READER)
            page.get_by_role("button", name="Follow by e-mail").click()
            expect(page).to_have_url(re.compile(r"/follow/sent$"))
            expect(page.get_by_role("main")).not_to_contain_text(READER)

            # The worker sends the confirmation; its link asks before it acts.
            wait_until(lambda: mail_to(smtp_server, READER), "the confirmation mail", log=log)
            (confirmation,) = mail_to(smtp_server, READER)
            text, html = parts(confirmation)
            (confirm,) = {link for link in HREF.findall(html) if "/mail/confirm/" in link}
            assert confirm in text
            page.goto(confirm)
            page.get_by_role("button", name="Confirm").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Subscription confirmed")

            # The next article in the topic reaches the reader.
            publish(
                server,
                section_id,
                title="Night trams return",
                slug="night-trams-return",
                brief="Night trams are back on the harbour line.",
                topic_ids=str(topic_id),
            )
            wait_until(
                lambda: mail_to(smtp_server, READER, "Night trams return"),
                "the new article's mail",
                log=log,
            )
            (article_mail,) = mail_to(smtp_server, READER, "Night trams return")
            text, html = parts(article_mail)
            assert "Night trams are back on the harbour line." in text
            assert f"{server.origin}/articles/night-trams-return" in HREF.findall(html)
            leave = article_mail["List-Unsubscribe"].strip("<>")
            assert article_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert leave in HREF.findall(html) and leave in text

            # One click on the mail's leave link, and the reader follows nothing more.
            page.goto(leave)
            expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribed")
            expect(page.get_by_role("main")).to_contain_text("Trams")
        finally:
            close(context)
            stop(worker)

    with inside(app):
        subscriber = db.session.scalars(
            select(Subscriber).where(Subscriber.email_key == READER)
        ).one()
        assert (
            db.session.scalars(
                select(Subscription).where(Subscription.subscriber_id == subscriber.id)
            ).all()
            == []
        )

"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port.

`smtp_server` collects what it accepts: `.messages` (email.message.EmailMessage, in the
order received) and `.envelopes` ((MAIL FROM, [RCPT TO, ...]) for each). Set `.refuse`
to True (451, try later) or to an SMTP code to turn messages away, and `.hold_at = n` to
keep the n-th message's answer back until `.release()`: that message is received but
its sender never hears so. `mail_app` is the `app` fixture sending to it.
"""

import asyncio
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """The server's handler: what it was given, and how it answers."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: bool | int = False
        self.hold_at: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._gate: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            code = 451 if self.refuse is True else int(self.refuse)
            return f"{code} Refused by the test server"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self._gate = asyncio.Event()
            await self._gate.wait()
        return "250 Message accepted for delivery"

    def release(self) -> None:
        """Answer the held message (its sender may be gone by then)."""
        self.hold_at = None
        if self._gate is not None and self.loop is not None:
            self.loop.call_soon_threadsafe(self._gate.set)

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


class SMTPServer(Mailbox):
    def __init__(self):
        from tests.live_server import free_port  # conftest imports this module first

        super().__init__()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller = Controller(self, hostname=self.host, port=self.port)

    def start(self) -> None:
        self.controller.start()
        self.loop = self.controller.loop

    def stop(self) -> None:
        self.release()
        self.controller.stop()

    def config(self) -> dict:
        """The settings that send an app's mail here."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port}

    def environment(self) -> dict:
        """The same settings for a server or worker process."""
        return {"FLASK_MAIL_SERVER": self.host, "FLASK_MAIL_PORT": str(self.port)}


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    """The test app (on each engine), its mail sent to smtp_server."""
    app.config.update(smtp_server.config())
    return app

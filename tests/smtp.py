"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests: it records what it accepts,
and can be told to refuse for a while or to stall in the middle of a conversation."""

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

WAIT = 60  # seconds: an upper bound for something to happen, not a timing requirement


@dataclass
class Received:
    """One message the server accepted: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    peer: tuple = ()  # the client's address and port: one per SMTP connection

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part.get_content()
        raise AssertionError(f"no {content_type} part in {self.subject!r}")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


@dataclass
class Handler:
    """Accepts every message unless told otherwise.

    ``refuse_next`` DATA commands are answered with ``refuse_reply`` (a 451 by default);
    with ``stall_at`` set to "RCPT" the server stops answering RCPT (before any message
    exists), and with "DATA" it records the message and then stops answering (the
    message is accepted, the client never hears so) until ``release`` is set."""

    received: list[Received] = field(default_factory=list)
    refuse_next: int = 0
    refuse_reply: str = "451 4.3.0 Mail server busy, try again later"
    refused: int = 0
    stall_at: str | None = None
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def _stall(self) -> None:
        self.stalled.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall_at == "RCPT" and not self.release.is_set():
            await self._stall()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused += 1
                return self.refuse_reply
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, tuple(session.peer)))
        if self.stall_at == "DATA" and not self.release.is_set():
            await self._stall()
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.release.set()
        self.controller.stop()

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def wait_for(self, count: int, *, timeout: float = WAIT, on_timeout=None) -> list[Received]:
        """Wait until at least ``count`` messages were accepted."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                detail = on_timeout() if on_timeout else ""
                raise AssertionError(f"{len(self.received)} of {count} messages after {timeout:.0f} s\n{detail}")
            time.sleep(0.1)
        return self.received

#!/usr/bin/env python3
"""Test helper for SMTPClientTests.swift (needs aiosmtpd; run with the python of the venv named by
SMTP_TEST_PYTHON).

  smtp_server.py serve --mode auth|starttls|silent --maildir DIR --port-file FILE [--user U --password P]
                       [--mechanisms PLAIN,LOGIN]
      Listens on 127.0.0.1, on a port the kernel picks, and writes that port to FILE once it accepts
      connections. Runs until SIGTERM.
      auth:     plain-text server offering AUTH, authenticator accepting only U/P (auth_require_tls=False).
      starttls: self-signed certificate (openssl), require_starttls=True, AUTH (U/P) only after TLS.
      silent:   accepts TCP connections and never says a word (for timeout tests).
      reject:   plain-text server that answers 550 to every RCPT TO (a permanent failure).
      slow:     plain-text server that waits 3 s before accepting each message's data (a slow session).
      Delivered messages go to the Maildir DIR, with X-Test-TLS (yes/no) and X-Test-Auth (login) headers
      added next to aiosmtpd's X-Peer / X-MailFrom / X-RcptTo.

  smtp_server.py read MAILDIR OUT.json
      Writes every message of the Maildir, decoded with the email package, as a JSON list.
"""
import argparse
import asyncio
import email
import json
import mailbox
import os
import signal
import ssl
import subprocess
import sys
from email import policy


def serve(args):
    from aiosmtpd.handlers import Mailbox
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    class RecordingMailbox(Mailbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if args.mode == "reject":
                return "550 5.1.1 No such mailbox here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            if args.mode == "slow":
                await asyncio.sleep(3)
            return await super().handle_DATA(server, session, envelope)

        def prepare_message(self, session, envelope):
            message = super().prepare_message(session, envelope)
            message["X-Test-TLS"] = "yes" if session.ssl is not None else "no"
            if session.authenticated:
                message["X-Test-Auth"] = str(session.auth_data)
            return message

    def authenticator(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == args.user.encode()
            and auth_data.password == args.password.encode()
        ):
            return AuthResult(success=True, auth_data=auth_data.login.decode())
        return AuthResult(success=False, handled=False)

    tls_context = None
    if args.mode == "starttls":
        certdir = os.path.dirname(os.path.abspath(args.maildir))  # the test's own directory
        cert, key = os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-days", "1", "-keyout", key, "-out", cert],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(cert, key)

    handler = RecordingMailbox(args.maildir)
    excluded = []
    if args.mechanisms:
        wanted = {m.strip().upper() for m in args.mechanisms.split(",")}
        excluded = [m for m in ("PLAIN", "LOGIN") if m not in wanted]

    def smtp_factory():
        return SMTP(
            handler,
            hostname="smtp.test",
            tls_context=tls_context,
            require_starttls=tls_context is not None,
            auth_require_tls=tls_context is not None,
            authenticator=authenticator if args.user else None,
            auth_exclude_mechanism=excluded,
        )

    async def main():
        loop = asyncio.get_running_loop()
        factory = asyncio.Protocol if args.mode == "silent" else smtp_factory
        server = await loop.create_server(factory, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        await stop.wait()
        server.close()

    asyncio.run(main())


def read(maildir, out):
    box = mailbox.Maildir(maildir, factory=None, create=False)
    result = []
    for key in sorted(box.keys()):
        msg = email.message_from_bytes(box.get_bytes(key), policy=policy.default)

        def content(part):
            return None if part is None else part.get_content().replace("\r\n", "\n")

        def mailboxes(header):
            value = msg[header]
            if value is None:
                return []
            return [{"name": a.display_name, "address": a.addr_spec} for a in value.addresses]

        result.append({
            "subject": str(msg["subject"]),
            "from": mailboxes("from"),
            "to": mailboxes("to"),
            "date": str(msg["date"]),
            "messageID": str(msg["message-id"]),
            "contentType": msg.get_content_type(),
            "mailFrom": str(msg["x-mailfrom"]),
            "rcptTo": [r.strip() for r in str(msg["x-rcptto"]).split(",")],
            "tls": msg["x-test-tls"],
            "auth": msg["x-test-auth"],
            "text": content(msg.get_body(("plain",))),
            "html": content(msg.get_body(("html",))),
            "defects": [type(d).__name__ for part in msg.walk() for d in part.defects],
        })
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--mode", choices=["auth", "starttls", "silent", "reject", "slow"], required=True)
    s.add_argument("--maildir", required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--user")
    s.add_argument("--password")
    s.add_argument("--mechanisms")
    r = sub.add_parser("read")
    r.add_argument("maildir")
    r.add_argument("out")
    a = parser.parse_args()
    if a.command == "serve":
        serve(a)
    else:
        read(a.maildir, a.out)
    sys.exit(0)

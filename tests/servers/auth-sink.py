#!/usr/bin/python3
"""auth-sink: an SMTP server that takes a password without offering TLS,
the kind notify must not send credentials to.
    auth-sink.py PORTFILE DIR USER PASSWORD
Listens on a free loopback port (written to PORTFILE) and offers AUTH
PLAIN and LOGIN but no STARTTLS; mail needs a login first.  Each message
is written to DIR as sink.Sink does; each AUTH that reaches it adds a
line "MECHANISM LOGIN ok|refused" to DIR/auth.log (never the password)."""
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sink import Sink  # noqa: E402

portfile, directory, user, password = sys.argv[1:5]
handler = Sink(directory)


def authenticator(server, session, envelope, mechanism, auth_data):
    login = auth_data.login.decode("utf-8", "replace")
    good = login == user and auth_data.password.decode("utf-8",
                                                       "replace") == password
    with open(os.path.join(directory, "auth.log"), "a") as f:
        f.write("%s %s %s\n" % (mechanism, login, "ok" if good else "refused"))
    return AuthResult(success=good)


async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost",
                     authenticator=authenticator, auth_required=True,
                     auth_require_tls=False),
        "127.0.0.1", 0)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.sockets[0].getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    await srv.serve_forever()


asyncio.run(main())

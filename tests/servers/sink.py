"""sink: an aiosmtpd handler for notify's tests, run as
    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c sink.Sink DIR
with tests/servers on PYTHONPATH.  Each message accepted is written whole
to DIR/NNNN.eml (the envelope in DIR/NNNN.env: sender, recipients, and
the client's port, which tells connections apart).  Recipients whose local
part starts with "refuse" get 550, "later" 451: the permanent and the
temporary failure notify must tell apart."""
import itertools
import os


class Sink:
    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.seq = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("sink.Sink takes the directory to write to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@", 1)[0]
        if local.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.seq)
        base = os.path.join(self.dir, "%04d" % n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write("%s\n%s\n%s\n" % (envelope.mail_from,
                                      " ".join(envelope.rcpt_tos),
                                      session.peer[1]))
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted"

"""null_sink: an aiosmtpd handler for the notify benchmark, run as
    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c null_sink.NullSink FILE
with tests/servers on PYTHONPATH.  It takes every message and keeps none:
sink.Sink's two files and a rename per message would be timed along with
notify.  FILE holds "MESSAGES BYTES", rewritten in place before each
message is acknowledged, so that it is whole once the sender has its
last 250."""
import os


class NullSink:
    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.messages = 0
        self.bytes = 0
        self._save()

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("null_sink.NullSink takes the file to count in")
        return cls(args[0])

    def _save(self):
        # Fixed width: one pwrite overwrites the whole count.
        os.pwrite(self.fd, b"%12d %15d\n" % (self.messages, self.bytes), 0)

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.bytes += len(envelope.original_content or envelope.content)
        self._save()
        return "250 Message accepted"

"""The development SMTP catcher: `make run` starts it when COCOON_SMTP_HOST is unset
(`python -m services.notifications.catcher`), and points the notifications service at it
(shared/dev.py writes COCOON_SMTP_HOST=127.0.0.1, COCOON_SMTP_PORT, COCOON_MAIL_CATCHER=true into
var/dev.env). It accepts every email over real SMTP and keeps it in
<COCOON_VAR_DIR>/caught-emails.mbox: nothing leaves the machine. Staff read them on the page
« Emails de développement » (/equipe/emails-de-developpement), through notifications'
`caught_emails`.

aiosmtpd comes with the test extras, which `make install` installs: production never runs this.
"""

import mailbox
import signal
import threading

from shared import config

MBOX_FILE = "caught-emails.mbox"
DEFAULT_PORT = 1025


def mbox_path():
    return config.var_dir() / MBOX_FILE


class Keep:
    """An aiosmtpd handler appending each accepted message to the mbox (locked: the page reads it)."""

    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        box = mailbox.mbox(self.path)
        try:
            box.lock()
            box.add(envelope.original_content or envelope.content)
            box.flush()
        finally:
            box.unlock()
            box.close()
        return "250 Message kept by the development catcher"


def main():
    from aiosmtpd.controller import Controller

    port = int(config.env("COCOON_SMTP_PORT", str(DEFAULT_PORT)))
    controller = Controller(Keep(mbox_path()), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"Development SMTP catcher on 127.0.0.1:{port}; emails kept in {mbox_path()}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()

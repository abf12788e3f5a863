"""Fixtures of the documents tests: a real IMAP server (Debian's dovecot), committed callbacks, helpers."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# The day-one classifier takes ~10–20 s to train; keep it across test runs (SQLite and PostgreSQL passes,
# subprocesses, the live server) in one cache directory.
os.environ.setdefault("ETABLI_CLASSIFY_CACHE", str(Path(tempfile.gettempdir()) / f"etabli-classify-cache-{os.getuid()}"))

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks (queued processing, webhooks), like a real request."""

    class Runner:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Runner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ImapServer:
    def __init__(self, host: str, port: int, user: str, password: str):
        self.host, self.port, self.user, self.password = host, port, user, password

    def append(self, message_bytes: bytes, folder: str = "INBOX") -> None:
        from imap_tools import MailBoxUnencrypted

        with MailBoxUnencrypted(self.host, self.port).login(self.user, self.password) as mailbox:
            mailbox.append(message_bytes, folder)


@pytest.fixture
def imap_server(tmp_path_factory):
    """A real dovecot IMAP server on loopback, with one mailbox « factures@test.local » (plain login)."""
    if not os.path.exists(DOVECOT):
        pytest.skip("dovecot absent (make test l'installe : apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="etabli-imap-"))
    root.chmod(0o755)
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    if os.getuid() == 0:
        internal, login = "dovecot", "dovenull"
        owner = pwd.getpwnam("dovecot")
        for sub in ("mail", "home"):
            shutil.chown(root / sub, owner.pw_uid, owner.pw_gid)
        uid, gid = owner.pw_uid, owner.pw_gid
    else:
        me = pwd.getpwuid(os.getuid())
        internal = login = me.pw_name
        uid, gid = me.pw_uid, me.pw_gid
    port = _free_port()
    user, password = "factures@test.local", "mot-de-passe-imap"
    (root / "users").write_text(f"{user}:{{PLAIN}}{password}\n")
    (root / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = {uid}
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""")
    process = subprocess.Popen([DOVECOT, "-c", str(root / "dovecot.conf"), "-F"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"dovecot n'a pas démarré : {process.stderr.read().decode()}")
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("dovecot n'écoute pas")
    yield ImapServer("127.0.0.1", port, user, password)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(root, ignore_errors=True)


OWN_SIREN, OWN_SIRET, OWN_VAT = "732829320", "73282932000074", "FR44732829320"


@pytest.fixture
def our_company(company):
    """The test company with the identity printed on its own invoices (SIREN 732829320)."""
    from etabli.core.services.companies import update_company

    return update_company(company=company, legal_name="Menuiserie Test SARL", siren=OWN_SIREN, siret=OWN_SIRET,
                          vat_number=OWN_VAT, address_line1="12 rue des Artisans", postal_code="44300", city="Nantes")


def read(company, data: bytes, filename: str = "document.pdf", **kwargs):
    """Store then read a document through the real pipeline (reader process, classifier, proposal)."""
    from etabli.documents.models import Document
    from etabli.documents.services.intake import ingest_bytes
    from etabli.documents.services.processing import process_document

    result = ingest_bytes(company=company, data=data, filename=filename, process=False, **kwargs)
    process_document(result.document.pk)
    return Document.objects.get(pk=result.document.pk)

"""A real streaming replica (PostgreSQL pass only): reads from it, writes to the primary.

A second PostgreSQL cluster is made on this machine with pg_basebackup from the primary the tests
use, in a temporary folder, run as the postgres user on a free port, and removed afterwards. The
primary is never restarted: a replication role and a pg_hba line for it are added (and removed)
with a configuration reload. Only with CI=true, and only if wal_level is 'minimal', is the
primary restarted to allow streaming at all.

The site then runs under gunicorn with DATABASE_REPLICA_URL pointing at the replica, and the test
proves, with the replica's replay paused at will: an anonymous page is read from the replica; a
write made during such a request lands on the primary; a visitor pinned to the primary (after
sending a form) sees what the replica does not have yet; a publication reaches the replica
within a second; with the replica stopped, the site keeps serving from the primary.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.cache import cache
from django.db import connection

from disclosure.models import SearchMiss
from portal import pagecache, replica
from tests.disclosure.conftest import _private_media, category, make_entry  # noqa: F401
from tests.integration.conftest import Browser, free_port, needs_postgres_and_redis

ROLE = "portal_replica_test"
HBA_MARK = "# added by tests/integration/test_replica.py"


def _scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _execute(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _give_to_postgres(path) -> None:
    # As root the cluster runs as postgres; as any other user it runs as that user.
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def _as_postgres(*command, check=True, timeout=120):
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)


class Replica:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="portal-replica-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.bin = Path(_scalar("SELECT setting FROM pg_config WHERE name = 'BINDIR'"))
        self.added_hba = False
        self.created_role = False

    def url(self, database) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, database, sql, params=None):
        with psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database
        ) as handle:
            handle.autocommit = True
            with handle.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone() if cursor.description else None

    def prepare_primary(self):
        if _scalar("SHOW wal_level") == "minimal":
            if os.environ.get("CI") != "true":
                pytest.skip(
                    "wal_level = minimal: streaming needs a restart (done only with CI=true)"
                )
            _execute("ALTER SYSTEM SET wal_level = 'replica'")
            subprocess.run(
                ["pg_ctlcluster", _scalar("SHOW server_version_num")[:2], "main", "restart"],
                check=True,
            )
            connection.close()
        if not _scalar("SELECT count(*) FROM pg_roles WHERE rolname = %s", [ROLE]):
            _execute(f"CREATE ROLE {ROLE} WITH REPLICATION LOGIN")
            self.created_role = True
        allowed = _scalar(
            "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
            "AND (address IS NULL OR address = '127.0.0.1') AND auth_method = 'trust'"
        )
        if not allowed:
            hba = Path(_scalar("SHOW hba_file"))
            if not os.access(hba, os.W_OK):
                pytest.skip(f"{hba} allows no replication connection and cannot be edited here")
            with hba.open("a") as handle:
                handle.write(f"\nhost replication {ROLE} 127.0.0.1/32 trust {HBA_MARK}\n")
            self.added_hba = True
            _scalar("SELECT pg_reload_conf()")
            time.sleep(0.5)

    def start(self):
        _give_to_postgres(self.folder)
        _as_postgres(
            str(self.bin / "pg_basebackup"),
            "-h", "127.0.0.1", "-p", str(connection.settings_dict["PORT"] or 5432),
            "-U", ROLE, "-D", str(self.data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        # Debian keeps the configuration outside the data folder: the replica gets its own.
        limits = {
            name: _scalar(f"SHOW {name}")
            for name in (
                "max_connections",
                "max_worker_processes",
                "max_wal_senders",
                "max_prepared_transactions",
                "max_locks_per_transaction",
            )
        }
        config = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "hot_standby": "on",
            "shared_buffers": "'32MB'",
            "wal_receiver_status_interval": "'1s'",
            **limits,
        }
        (self.data / "postgresql.conf").write_text(
            "".join(f"{key} = {value}\n" for key, value in config.items())
        )
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        for path in [*self.data.glob("pg_*.conf"), self.data / "postgresql.conf"]:
            _give_to_postgres(path)
        _as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self):
        if self.data.exists():
            _as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop",
                check=False,
            )  # fmt: skip

    def remove(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.added_hba:
            hba = Path(_scalar("SHOW hba_file"))
            lines = [line for line in hba.read_text().splitlines() if HBA_MARK not in line]
            hba.write_text("\n".join(lines).rstrip("\n") + "\n")
            _scalar("SELECT pg_reload_conf()")
        if self.created_role:
            _execute(f"DROP ROLE IF EXISTS {ROLE}")


@pytest.fixture
def streaming_replica(transactional_db):
    needs_postgres_and_redis()
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("runuser is needed to run the replica as the postgres user")
    made = Replica()
    try:
        made.prepare_primary()
        made.start()
        yield made
    finally:
        made.remove()


def wait_for(condition, seconds) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s")


def test_reads_from_the_replica_writes_to_the_primary(
    streaming_replica,
    instances,
    unit_a,
    make_entry,  # noqa: F811 - the catalog's fixture
):
    database = connection.settings_dict["NAME"]
    make_entry(unit_a, title="复制前已发布的通知")
    assert streaming_replica.query(database, "SELECT pg_is_in_recovery()")[0]

    def replica_has(title):
        found = streaming_replica.query(
            database, "SELECT count(*) FROM disclosure_entry WHERE title = %s", [title]
        )
        return found[0] > 0

    wait_for(lambda: replica_has("复制前已发布的通知"), 10)
    (site,) = instances(
        DATABASE_REPLICA_URL=streaming_replica.url(database), DATABASE_REPLICA_PIN_SECONDS="30"
    )
    visitor = Browser()

    # Replay paused: what is published now exists on the primary only.
    streaming_replica.query(database, "SELECT pg_wal_replay_pause()")
    make_entry(unit_a, title="暂停复制期间发布的通知")
    cache.delete(replica.LAST_PUBLICATION_KEY)  # the test looks at the replica itself
    pagecache.bump("all")
    status, page, _ = visitor.get(f"{site.base}/xxgk/zwzx/")
    assert status == 200 and "复制前已发布的通知" in page
    assert "暂停复制期间发布的通知" not in page  # read from the replica

    # A write during a request that reads from the replica goes to the primary.
    status, _, _ = visitor.get(f"{site.base}/search/?q={quote('复制测试无结果')}")
    assert status == 200 and SearchMiss.objects.filter(query="复制测试无结果").exists()

    # Someone who has just sent a form (the pin cookie) reads from the primary.
    pinned = Browser(headers={"Cookie": f"{replica.PIN_COOKIE}=1"})
    pagecache.bump("all")
    assert "暂停复制期间发布的通知" in pinned.get(f"{site.base}/xxgk/zwzx/")[1]
    # So does everyone for a few seconds after a publication (the page cache refills then).
    make_entry(unit_a, title="刚刚发布的通知")
    assert "刚刚发布的通知" in visitor.get(f"{site.base}/xxgk/zwzx/")[1]
    cache.delete(replica.LAST_PUBLICATION_KEY)

    # Replay resumed: the replica catches up, and a publication reaches it within a second.
    streaming_replica.query(database, "SELECT pg_wal_replay_resume()")
    wait_for(lambda: replica_has("刚刚发布的通知"), 10)
    make_entry(unit_a, title="计时发布的通知")  # committed on the primary when this returns
    assert wait_for(lambda: replica_has("计时发布的通知"), 1.0) < 1.0
    cache.delete(replica.LAST_PUBLICATION_KEY)
    pagecache.bump("all")
    assert "暂停复制期间发布的通知" in visitor.get(f"{site.base}/xxgk/zwzx/")[1]

    # The replica stops: the site keeps serving from the primary.
    streaming_replica.stop()
    pagecache.bump("all")
    status, page, _ = visitor.get(f"{site.base}/xxgk/zwzx/")
    assert status == 200 and "刚刚发布的通知" in page
    assert visitor.get(f"{site.base}/api/v1/entries/?unit=zwzx")[0] == 200

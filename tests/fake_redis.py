"""Fake Redis endpoints for fault tests that run anywhere (no Redis needed, nothing restarted).

`FakeRedis` speaks enough of the Redis protocol for Django's cache (GET, SET, MGET, MSET, DEL,
EXISTS, INCRBY, EXPIRE, MULTI/EXEC, SCAN, UNLINK, FLUSHDB) and can go away and come back on the
same port with its data intact, as a Redis behind a broken network does. `HungRedis` accepts
connections and never answers, as a Redis stuck in a long command or a half-dead host does.
Both count the connections they accept.
"""

import contextlib
import fnmatch
import socket
import threading
import time


class _Server:
    def __init__(self):
        self.port = None
        self.connections = 0
        self._listener = None
        self._clients = []
        self._lock = threading.Lock()
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self):
        """Refuse connections and drop the open ones (the data stays)."""
        listener, self._listener = self._listener, None
        if listener:
            # shutdown wakes the thread blocked in accept(); close alone would leave it listening.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        raise NotImplementedError


class HungRedis(_Server):
    def _serve(self, client):
        # Read and ignore everything; never answer.
        try:
            while client.recv(65536):
                pass
        except OSError:
            pass


class FakeRedis(_Server):
    def __init__(self):
        self.data: dict[bytes, bytes] = {}
        self.expires: dict[bytes, float] = {}
        self.commands: list[str] = []
        super().__init__()

    # -- protocol --

    def _serve(self, client):
        reader = client.makefile("rb")
        queue = None
        try:
            while True:
                command = self._read_command(reader)
                if command is None:
                    return
                name = command[0].upper().decode()
                if name == "MULTI":
                    queue = []
                    reply = b"+OK\r\n"
                elif name == "EXEC":
                    replies = [self._run(queued) for queued in queue or []]
                    queue = None
                    reply = b"*%d\r\n" % len(replies) + b"".join(replies)
                elif queue is not None:
                    queue.append(command)
                    reply = b"+QUEUED\r\n"
                else:
                    reply = self._run(command)
                client.sendall(reply)
        except OSError:
            return

    @staticmethod
    def _read_command(reader):
        line = reader.readline()
        if not line:
            return None
        count = int(line[1:].strip())
        parts = []
        for _ in range(count):
            length = int(reader.readline()[1:].strip())
            parts.append(reader.read(length + 2)[:-2])
        return parts

    @staticmethod
    def _bulk(value):
        if value is None:
            return b"$-1\r\n"
        return b"$%d\r\n%s\r\n" % (len(value), value)

    def _array(self, values):
        return b"*%d\r\n" % len(values) + b"".join(self._bulk(v) for v in values)

    # -- commands --

    def _alive(self, key):
        deadline = self.expires.get(key)
        if deadline is not None and time.monotonic() >= deadline:
            self.data.pop(key, None)
            self.expires.pop(key, None)
        return key in self.data

    def _run(self, command):
        name, args = command[0].upper().decode(), command[1:]
        with self._lock:
            self.commands.append(name)
            handler = getattr(self, f"_cmd_{name.lower()}", None)
            if handler is None:
                return b"+OK\r\n"  # CLIENT SETINFO, SELECT and other handshakes
            return handler(*args)

    def _cmd_ping(self, *args):
        return b"+PONG\r\n"

    def _cmd_get(self, key):
        return self._bulk(self.data[key] if self._alive(key) else None)

    def _cmd_mget(self, *keys):
        return self._array([self.data[key] if self._alive(key) else None for key in keys])

    def _cmd_set(self, key, value, *options):
        options = [option.upper() for option in options]
        if b"NX" in options and self._alive(key):
            return b"$-1\r\n"
        self.data[key] = value
        self.expires.pop(key, None)
        if b"EX" in options:
            seconds = int(options[options.index(b"EX") + 1])
            self.expires[key] = time.monotonic() + seconds
        return b"+OK\r\n"

    def _cmd_mset(self, *pairs):
        for key, value in zip(pairs[::2], pairs[1::2], strict=True):
            self.data[key] = value
            self.expires.pop(key, None)
        return b"+OK\r\n"

    def _cmd_expire(self, key, seconds):
        if not self._alive(key):
            return b":0\r\n"
        self.expires[key] = time.monotonic() + int(seconds)
        return b":1\r\n"

    def _cmd_persist(self, key):
        return b":%d\r\n" % (self.expires.pop(key, None) is not None)

    def _cmd_exists(self, *keys):
        return b":%d\r\n" % sum(self._alive(key) for key in keys)

    def _cmd_del(self, *keys):
        removed = 0
        for key in keys:
            if self._alive(key):
                removed += 1
            self.data.pop(key, None)
            self.expires.pop(key, None)
        return b":%d\r\n" % removed

    _cmd_unlink = _cmd_del

    def _cmd_incrby(self, key, delta):
        value = int(self.data[key]) if self._alive(key) else 0
        value += int(delta)
        self.data[key] = str(value).encode()
        return b":%d\r\n" % value

    def _cmd_flushdb(self, *args):
        self.data.clear()
        self.expires.clear()
        return b"+OK\r\n"

    def _cmd_scan(self, cursor, *options):
        options = [option.upper() if i % 2 == 0 else option for i, option in enumerate(options)]
        pattern = b"*"
        if b"MATCH" in options:
            pattern = options[options.index(b"MATCH") + 1]
        keys = [
            key
            for key in list(self.data)
            if self._alive(key) and fnmatch.fnmatchcase(key.decode(), pattern.decode())
        ]
        return b"*2\r\n" + self._bulk(b"0") + self._array(keys)

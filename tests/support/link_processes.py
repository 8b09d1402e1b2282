"""The link's real processes for fault tests: ``residacoeur box link`` and ``hub ingest``.

Each runs as the machine would run it, a subprocess of the installed command with its
output kept in a log file, so a test can kill it without warning (SIGKILL), stop it as
its service manager would (SIGTERM), start it again, and read what it said. A box agent
can also run in a network namespace of its own, joined to the broker by a virtual cable
the test can cut.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from link import settings
from provisioning.tls import write_broker_tls
from tests.support import unit_sandbox
from tests.support.linked import Linked
from tests.support.mosquitto import HOST, free_ports

COMMAND = Path(sys.executable).parent / "residacoeur"
CHECKOUT = Path(__file__).resolve().parents[2]
# Generous: two busy cores, and an ingest migrates its database before connecting.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
CONNECTED = "connected to the broker at"


class LinkProcess:
    """One ``residacoeur`` process, started and ended on demand, its output in ``log_path``."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self._process: subprocess.Popen | None = None
        self.exit_codes: list[int] = []

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.name} was never started")
        return self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, connected: bool = True) -> None:
        """Start the process; with ``connected``, return once it is linked to the broker."""
        if self.running:
            raise RuntimeError(f"{self.name} is already running")
        connections = self.connections()
        with self.log_path.open("ab") as log:
            log.write(f"--- start of {self.name}: {' '.join(self.argv)}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Signals meant for the test runner do not reach it, nor the reverse.
                start_new_session=True,
            )
        if connected:
            self.wait_connected(connections + 1)

    def wait_connected(self, connections: int, timeout: float = START_TIMEOUT) -> None:
        """Wait until the process has connected ``connections`` times in all."""
        deadline = time.monotonic() + timeout
        while self.connections() < connections:
            if not self.running:
                raise RuntimeError(f"{self.name} ended before connecting:\n{self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} not connected in {timeout} s:\n{self.log()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """Kill without warning, as a crash or a power cut would."""
        self._end(signal.SIGKILL)

    def terminate(self) -> int:
        """Stop as the service manager would, and return the exit code."""
        self._end(signal.SIGTERM)
        return self.exit_codes[-1]

    def restart(self) -> None:
        """Stop cleanly if running, then start again and wait for the broker."""
        if self.running:
            self.terminate()
        self.start()

    def connections(self) -> int:
        """How many times the process has connected to the broker so far."""
        return self.log().count(CONNECTED)

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _end(self, signal_number: int) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal_number)
        try:
            code = self._process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(STOP_TIMEOUT)
            raise TimeoutError(
                f"{self.name} ignored signal {signal_number}:\n{self.log()}"
            ) from None
        self.exit_codes.append(code)


class LinkProcesses:
    """The processes of one test, all killed at the end whatever happened.

    Each is started at once without waiting for it; ``wait_connected`` waits for all,
    so that their start-ups overlap.
    """

    def __init__(self, linked: Linked, folder: Path) -> None:
        self.linked = linked
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.started: list[LinkProcess] = []

    def box_agent(
        self,
        netns: str | None = None,
        env: dict[str, str] | None = None,
        unit: Path | None = None,
    ) -> LinkProcess:
        """Start the box's agent on the box's data folder, in network namespace ``netns``,
        with ``env`` added to its environment, under the system-call rules of ``unit``."""
        argv = [str(COMMAND), "box", "link", "--data-dir", str(self.linked.box_dir)]
        if unit is not None:
            argv = unit_sandbox.wrapped(unit, argv)
        if netns is not None:
            argv = ["ip", "netns", "exec", netns, *argv]
        database = self.linked.box.url.render_as_string(hide_password=False)
        return self._start("box-agent", argv, database, env)

    def hub_ingest(self, name: str = "1") -> LinkProcess:
        """Start a hub ingest process named ``name`` on the hub's database, whatever engine."""
        hub_dir = self.linked.box_dir.parent / "hub-side"
        argv = [str(COMMAND), "hub", "ingest", "--data-dir", str(hub_dir), "--name", name]
        database = self.linked.hub.url.render_as_string(hide_password=False)
        return self._start(f"hub-ingest-{name}", argv, database)

    def wait_connected(self) -> None:
        """Wait until every process started has connected to the broker once."""
        for process in self.started:
            process.wait_connected(1)

    def _start(
        self, name: str, argv: list[str], database: str, extra: dict[str, str] | None = None
    ) -> LinkProcess:
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("RESIDACOEUR_")
        }
        env.update(extra or {})
        env["RESIDACOEUR_DATABASE_URL"] = database
        # The processes run the code under test, whatever packages an older editable
        # install of the command happens to map.
        env["PYTHONPATH"] = os.pathsep.join(
            [str(CHECKOUT), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        process = LinkProcess(name, argv, env, self.folder / f"{name}.log")
        self.started.append(process)
        process.start(connected=False)
        return process

    def close(self) -> None:
        for process in self.started:
            process.kill()


@contextlib.contextmanager
def link_processes(linked: Linked, folder: Path) -> Iterator[LinkProcesses]:
    processes = LinkProcesses(linked, folder)
    try:
        yield processes
    finally:
        processes.close()


def netns_usable() -> str | None:
    """Return why network namespaces cannot be used here, or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    name = f"rc-probe-{secrets.token_hex(3)}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if made.returncode != 0:
        return f"ip netns add failed: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "delete", name], capture_output=True)
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


class Relay:
    """Forwards TCP connections from one address to another, each in two threads.

    The broker listens on the loopback only; the relay is the broker's address on the
    virtual network, as a router would be on the real one. Like a NAT or a firewall, it
    gives up on a peer that stops answering after ``gives_up_after`` seconds, and then
    closes the connection on the broker's side too: the broker learns at once that the
    box is gone (its last will goes out) instead of after 1.5 keepalives.
    """

    def __init__(
        self, listen: tuple[str, int], target: tuple[str, int], gives_up_after: int = 5
    ) -> None:
        self.target = target
        self.gives_up_after = gives_up_after
        self._server = socket.create_server(listen)
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="relay", daemon=True).start()

    def close(self) -> None:
        self._stopped.set()
        self._server.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _watch(self, near: socket.socket) -> None:
        # The box is probed every second when the line is quiet; data or probes left
        # unanswered for ``gives_up_after`` seconds end the connection.
        near.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        near.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        near.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        near.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, self.gives_up_after)
        near.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, self.gives_up_after * 1000)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                near, _address = self._server.accept()
            except OSError:
                return
            try:
                far = socket.create_connection(self.target, timeout=5)
            except OSError:
                near.close()
                continue
            far.settimeout(None)
            self._watch(near)
            self._sockets += [near, far]
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        # Whichever side ends the connection, both ends learn it.
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        source.close()


class BoxNetwork:
    """A network namespace for a box, joined to the hub's side by a veth pair.

    The box's link settings are pointed at the relay on the hub's end of the cable, which
    forwards to the boxes' TLS listener, the only one that takes box credentials. The
    broker is given a certificate that names that end's address too, and restarted to
    use it, so the box checks the broker as it would across the internet.
    """

    def __init__(self, linked: Linked) -> None:
        token = secrets.token_hex(3)
        self.relay: Relay | None = None
        self.name = f"rc-box-{token}"
        self.hub_end = f"rch{token}"
        box_end = f"rcb{token}"
        # A /30 of 10.213.0.0/16 chosen at random, so parallel runs rarely meet.
        third, fourth = secrets.randbelow(256), secrets.randbelow(64) * 4
        self.hub_address = f"10.213.{third}.{fourth + 1}"
        box_address = f"10.213.{third}.{fourth + 2}"
        _ip("netns", "add", self.name)
        try:
            _ip("link", "add", self.hub_end, "type", "veth", "peer", "name", box_end)
            _ip("link", "set", box_end, "netns", self.name)
            _ip("addr", "add", f"{self.hub_address}/30", "dev", self.hub_end)
            _ip("link", "set", self.hub_end, "up")
            _ip("-n", self.name, "addr", "add", f"{box_address}/30", "dev", box_end)
            _ip("-n", self.name, "link", "set", box_end, "up")
            _ip("-n", self.name, "link", "set", "lo", "up")
            port = free_ports(1)[0]
            self.relay = Relay((self.hub_address, port), (HOST, linked.broker.tls_port))
        except BaseException:
            self.close()
            raise
        write_broker_tls(linked.broker.folder / "tls", ["localhost", HOST, self.hub_address])
        linked.broker.restart()
        box_file = linked.box_dir / settings.BOX_FILE
        link_settings = settings.read(box_file)
        link_settings.update(broker_host=self.hub_address, broker_port=port)
        settings.write(box_file, link_settings)

    def cut(self) -> None:
        """Unplug the cable: nothing passes either way, and neither end is told."""
        _ip("link", "set", self.hub_end, "down")

    def restore(self) -> None:
        _ip("link", "set", self.hub_end, "up")

    def close(self) -> None:
        if self.relay is not None:
            self.relay.close()
        # Deleting one end of a veth pair deletes both; the namespace goes last.
        subprocess.run(["ip", "link", "delete", self.hub_end], capture_output=True)
        subprocess.run(["ip", "netns", "delete", self.name], capture_output=True)

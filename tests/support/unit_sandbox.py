"""The system-call rules of a box's unit, applied to a command without systemd.

systemd cannot run as the test machine's first process, so this applies with libseccomp
the two filters a unit asks systemd for: its ``SystemCallFilter=`` lines with
``SystemCallErrorNumber=EPERM`` (any other system call fails with EPERM) and
``MemoryDenyWriteExecute=yes`` (no mapping both writable and executable, none made
executable later: systemd 252's own rules). The groups' calls are read from
``systemd-analyze syscall-filter``, so the list is that of the systemd that would run the
unit. Run as a script (``unit_sandbox.py UNIT_FILE COMMAND...``), it loads both filters
and then becomes the command, as systemd does between its fork and the service's exec;
both filters hold for every process the command starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__)

_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_MASKED_EQ = 7
_PROT_WRITE, _PROT_EXEC = 0x2, 0x4
_SHM_EXEC = 0o100000
_PR_SET_NO_NEW_PRIVS = 38


class _Compare(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def usable() -> str | None:
    """Why the rules cannot be applied here, or None when they can."""
    if shutil.which("systemd-analyze") is None:
        return "systemd-analyze is not installed"
    if ctypes.util.find_library("seccomp") is None:
        return "libseccomp is not installed"
    return None


def wrapped(unit_file: Path, command: list[str]) -> list[str]:
    """``command`` run under the rules of ``unit_file``."""
    return [sys.executable, str(SCRIPT), str(unit_file), *command]


def allowed_calls(unit_file: Path) -> set[str]:
    """The calls a unit's ``SystemCallFilter=`` lines allow, as systemd reads them.

    A line lists calls and groups to allow; one starting with ``~`` takes them away.
    """
    allowed: set[str] = set()
    for line in unit_file.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.strip() != "SystemCallFilter":
            continue
        denied = value.startswith("~")
        for entry in value.removeprefix("~").split():
            calls = system_calls(entry) if entry.startswith("@") else {entry}
            allowed = allowed - calls if denied else allowed | calls
    if not allowed:
        raise ValueError(f"{unit_file} allows no system call list")
    return allowed


def system_calls(group: str) -> set[str]:
    """The calls of a group of systemd's, the groups inside it opened."""
    listing = subprocess.run(
        ["systemd-analyze", "syscall-filter", group], check=True, capture_output=True, text=True
    ).stdout
    names: set[str] = set()
    for line in listing.splitlines()[1:]:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            names |= system_calls(entry) if entry.startswith("@") else {entry}
    return names


def _masked(arg: int, mask: int) -> _Compare:
    return _Compare(arg, _MASKED_EQ, mask, mask)


# MemoryDenyWriteExecute=yes as systemd 252 writes it (src/shared/seccomp-util.c).
_WRITE_EXECUTE = [
    ("mmap", _masked(2, _PROT_WRITE | _PROT_EXEC)),
    ("mmap2", _masked(2, _PROT_WRITE | _PROT_EXEC)),
    ("mprotect", _masked(2, _PROT_EXEC)),
    ("pkey_mprotect", _masked(2, _PROT_EXEC)),
    ("shmat", _masked(2, _SHM_EXEC)),
]


def _load(library: ctypes.CDLL, default: int, action: int, rules: list) -> None:
    context = library.seccomp_init(default)
    for name, *compares in rules:
        number = library.seccomp_syscall_resolve_name(name.encode())
        if number == -1:
            continue
        array = (_Compare * len(compares))(*compares) if compares else None
        # A call this machine's architecture lacks is refused by libseccomp: skipped,
        # as systemd skips it.
        library.seccomp_rule_add_array(context, action, number, len(compares), array)
    if library.seccomp_load(context) != 0:
        raise OSError("seccomp_load failed")
    library.seccomp_release(context)


def apply(allowed: set[str]) -> None:
    """Put this process, and all it will start, under both filters."""
    library = ctypes.CDLL(ctypes.util.find_library("seccomp"), use_errno=True)
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = [ctypes.c_uint32]
    library.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_void_p,
    ]
    library.seccomp_load.argtypes = [ctypes.c_void_p]
    library.seccomp_release.argtypes = [ctypes.c_void_p]
    libc = ctypes.CDLL(None, use_errno=True)
    # NoNewPrivileges=yes, which also lets a process that is not root load a filter.
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    # Two filters, as systemd loads them: the kernel keeps the stricter answer of the two.
    # The list goes last, since it may not let a filter be loaded after it.
    _load(library, _ALLOW, _ERRNO | errno.EPERM, _WRITE_EXECUTE)
    _load(library, _ERRNO | errno.EPERM, _ALLOW, [(name,) for name in sorted(allowed)])


if __name__ == "__main__":
    apply(allowed_calls(Path(sys.argv[1])))
    os.execvp(sys.argv[2], sys.argv[2:])

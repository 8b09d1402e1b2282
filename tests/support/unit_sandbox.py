"""The system-call rules of a box's unit, applied to a command without systemd.

systemd cannot run as the test machine's first process, so this applies with libseccomp
the filters a unit asks systemd for: its ``SystemCallFilter=`` lines with
``SystemCallErrorNumber=EPERM`` (any other system call fails with EPERM),
``MemoryDenyWriteExecute=yes`` (no mapping both writable and executable, none made
executable later) and ``RestrictAddressFamilies=`` (a socket of another family fails
with EAFNOSUPPORT), as systemd 252 writes them. The groups' calls are read from
``systemd-analyze syscall-filter``, so the list is that of the systemd that would run the
unit. Run as a script (``unit_sandbox.py UNIT_FILE COMMAND...``), it loads the filters
and then becomes the command, as systemd does between its fork and the service's exec;
they hold for every process the command starts. The file system's protections (mounts
in a namespace of the unit's own) are not applied.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import socket
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
_EQ = 4
_GE = 5
# Beyond every address family Linux has.
_FAMILIES = 64


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


def _settings(unit_file: Path, name: str) -> list[str]:
    lines = unit_file.read_text(encoding="utf-8").splitlines()
    return [line.partition("=")[2] for line in lines if line.partition("=")[0] == name]


def allowed_families(unit_file: Path) -> set[int]:
    """The address families a unit's ``RestrictAddressFamilies=`` allows."""
    return {
        getattr(socket, name)
        for line in _settings(unit_file, "RestrictAddressFamilies")
        for name in line.split()
    }


def allowed_calls(unit_file: Path) -> set[str]:
    """The calls a unit's ``SystemCallFilter=`` lines allow, as systemd reads them.

    A line lists calls and groups to allow; one starting with ``~`` takes them away.
    """
    allowed: set[str] = set()
    for value in _settings(unit_file, "SystemCallFilter"):
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


def _other_families(families: set[int]) -> list:
    refused = [
        ("socket", _Compare(0, _EQ, family, 0))
        for family in range(_FAMILIES)
        if family not in families
    ]
    return [*refused, ("socket", _Compare(0, _GE, _FAMILIES, 0))]


def apply(allowed: set[str], families: set[int]) -> None:
    """Put this process, and all it will start, under the filters."""
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
    if families:
        _load(library, _ALLOW, _ERRNO | errno.EAFNOSUPPORT, _other_families(families))
    _load(library, _ERRNO | errno.EPERM, _ALLOW, [(name,) for name in sorted(allowed)])


if __name__ == "__main__":
    unit = Path(sys.argv[1])
    apply(allowed_calls(unit), allowed_families(unit))
    os.execvp(sys.argv[2], sys.argv[2:])

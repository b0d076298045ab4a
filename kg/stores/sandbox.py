"""Limits a child process takes on between fork and exec (Linux), for ``kg serve``.

``child_setup(...)`` returns the ``preexec_fn`` of ``subprocess.Popen``:

* PR_SET_PDEATHSIG: the kernel sends the child SIGKILL when the thread that
  started it ends, so it never outlives ``kg serve`` (whatever kills it: a
  SIGKILL cannot be caught, so no cleanup code could do this).
* RLIMIT_AS: the child's address space is bounded; an allocation past it
  fails, and the Oxigraph server then aborts (the guard restarts it).
* A seccomp filter, unless network access is allowed, that makes every
  ``connect()`` fail with EPERM: the child can still accept clients on its
  listening socket, but cannot open a connection anywhere (no SERVICE, no
  LOAD <url>, not even a DNS lookup), even for a client that reaches its
  private port directly instead of through the guard.

Everything is prepared before the fork (ctypes lookups, the BPF program);
the function run in the child only makes system calls. On a system without
prctl or seccomp (not Linux, an unknown CPU) the missing parts are skipped.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import sys
from collections.abc import Callable

__all__ = ["child_setup", "NETWORK_FILTER_ARCHES"]

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
_X32_BIT = 0x40000000

#: machine -> (AUDIT_ARCH_*, the connect syscall number)
NETWORK_FILTER_ARCHES = {
    "x86_64": (0xC000003E, 42),
    "aarch64": (0xC00000B7, 203),
}


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _no_connect_program() -> tuple[_Program, ctypes.Array] | None:
    """The BPF program: on this CPU's syscall ABI, connect (and x32's) fails; anything else runs."""
    arch = NETWORK_FILTER_ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit, connect = arch
    code = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 1, 0, audit),
        (_RET_K, 0, 0, _RET_EPERM),  # another ABI (32-bit calls): refuse outright
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JEQ_K, 1, 0, connect),
        (_JEQ_K, 0, 1, connect | _X32_BIT),
        (_RET_K, 0, 0, _RET_EPERM),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    filters = (_Filter * len(code))(*(_Filter(*c) for c in code))
    return _Program(len(code), filters), filters


def child_setup(*, memory_mb: int, network: bool) -> Callable[[], None]:
    """The ``preexec_fn`` for a child that dies with its parent, within ``memory_mb`` MiB
    of address space, and (unless ``network``) without outgoing connections."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
    if prctl is not None:
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    program = None if network or prctl is None else _no_connect_program()
    parent = os.getpid()
    limit = memory_mb << 20

    def setup() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if prctl is None:
            return
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl
            os._exit(1)
        if program is not None and prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
            prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program[0]), 0, 0)

    return setup

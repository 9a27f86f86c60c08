"""Keep a query worker off the network, enforced by the kernel rather than by reading text.

pyoxigraph opens an HTTP connection for any ``SERVICE`` or ``LOAD`` it evaluates. The
text guard (:mod:`kg.service.federation`) refuses those it sees, but it is a second
reading of the query; this filter makes a mistake there harmless: a seccomp program that
lets the worker create only Unix sockets (its socket pair to the server) and no io_uring
(which can create sockets too). Any other ``socket()`` fails with ``EACCES``, so a
SERVICE fails inside the engine without a packet sent. It needs no privileges (only
``PR_SET_NO_NEW_PRIVS``) and cannot be lifted by the process once installed.

The filter is installed with ``SECCOMP_FILTER_FLAG_SPEC_ALLOW``: kernels before 5.16 (and
any booted with ``spec_store_bypass_disable=seccomp``) otherwise turn on the Speculative
Store Bypass mitigation for every filtered process, slowing the engine's work for no gain
here (the worker runs no code an attacker sends, only queries).

Only Linux on x86-64 and aarch64 is covered; elsewhere :func:`deny_network` raises and
the pool refuses SERVICE and LOAD outright.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import socket
import struct
import sys

# Linux constants (linux/seccomp.h, linux/filter.h, linux/audit.h, asm/unistd.h).
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO, _RET_KILL = 0x7FFF0000, 0x00050000, 0x80000000
_EACCES, _ENOSYS = 13, 38
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_SET_MODE_FILTER, _FLAG_SPEC_ALLOW, _EINVAL = 1, 4, 22
#: machine -> (audit arch, then the numbers of socket, io_uring_setup and seccomp)
_ARCHES = {"x86_64": (0xC000003E, 41, 425, 317), "aarch64": (0xC00000B7, 198, 425, 277)}
_X32_BIT = 0x40000000  # x86-64's x32 syscalls: refused rather than inspected


class SandboxUnavailable(OSError):
    """The filter cannot be installed here (another OS or CPU, or the kernel refused)."""


def _program(arch: int, nr_socket: int, nr_io_uring: int) -> bytes:
    """The BPF program: allow everything but socket() of a family other than AF_UNIX."""
    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    errno = lambda e: op(_RET_K, _RET_ERRNO | e)  # noqa: E731
    return b"".join([
        op(_LD_W_ABS, 4),                               # 0: seccomp_data.arch
        op(_JEQ_K, arch, 1, 0),                         # 1: our arch? skip the kill
        op(_RET_K, _RET_KILL),                          # 2: another ABI: kill
        op(_LD_W_ABS, 0),                               # 3: seccomp_data.nr
        op(_JGE_K, _X32_BIT, 0, 1),                     # 4: x32 call?
        errno(_ENOSYS),                                 # 5
        op(_JEQ_K, nr_io_uring, 0, 1),                  # 6: io_uring_setup?
        errno(_ENOSYS),                                 # 7
        op(_JEQ_K, nr_socket, 0, 3),                    # 8: socket? else allow (12)
        op(_LD_W_ABS, 16),                              # 9: args[0], the family (low word)
        op(_JEQ_K, socket.AF_UNIX, 1, 0),               # 10: AF_UNIX? allow
        errno(_EACCES),                                 # 11
        op(_RET_K, _RET_ALLOW),                         # 12
    ])


def deny_network() -> None:
    """Forbid this process (and any it starts) to create non-Unix sockets, for good.

    Raises:
        SandboxUnavailable: not on Linux x86-64/aarch64, or the kernel refused.
    """
    arches = _ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arches is None:
        raise SandboxUnavailable(f"no network filter for {sys.platform}/{platform.machine()}")
    *filtered, nr_seccomp = arches
    program = _program(*filtered)
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                           ctypes.c_ulong, ctypes.c_ulong]
    libc.syscall.argtypes = [ctypes.c_long, ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise SandboxUnavailable(f"the kernel refused the filter: errno {ctypes.get_errno()}")
    done = libc.syscall(nr_seccomp, _SET_MODE_FILTER, _FLAG_SPEC_ALLOW, ctypes.addressof(prog))
    if done != 0 and ctypes.get_errno() in (_EINVAL, _ENOSYS):  # before Linux 4.17
        done = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0)
    if done != 0:
        raise SandboxUnavailable(f"the kernel refused the filter: errno {ctypes.get_errno()}")


def network_denied() -> bool:
    """Whether this process can no longer open an internet socket.

    >>> network_denied()
    False
    """
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False

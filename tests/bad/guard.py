"""Run the ``pressroom`` command under audit hooks that record what it touches.

Usage: ``python tests/bad/guard.py LOG -- convert IN -o OUT ...`` (arguments after ``--`` go to
the command). Every opened path and every network attempt is appended to LOG as one JSON object
a line, so a test can check which files a conversion read and that it never went online.

Network attempts (name lookups, connects, sends) are recorded *and refused*: the hook raises
``OSError`` like an unreachable network would, so even a conversion that is allowed to fetch
(``--allow-remote``) never reaches the outside world from a test.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from typing import Any

#: Audit events that mean "this process is trying to talk to another machine".
NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "socket.sendmsg",
        "socket.bind",
    }
)


def _install(log_path: str) -> None:
    # Opened before the hook exists, so writing the log never records itself.
    log = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the process
    cwd = os.getcwd()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            target = args[0]
            if isinstance(target, int) or target is None:
                return  # an already-open descriptor
            path = os.fsdecode(os.fspath(target))
            mode = args[1] if len(args) > 1 else None
            flags = args[2] if len(args) > 2 else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            )
            log.write(json.dumps({"open": os.path.join(cwd, path), "write": writing}) + "\n")
        elif event in NETWORK_EVENTS:
            log.write(json.dumps({"net": event, "args": repr(args)[:300]}) + "\n")
            raise OSError(f"network access refused by the test guard ({event})")
        elif event == "urllib.Request":
            log.write(json.dumps({"url": str(args[0])[:300]}) + "\n")
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
            log.write(json.dumps({"exec": repr(args)[:300]}) + "\n")

    sys.addaudithook(hook)


def main() -> None:
    """Install the hooks, then run ``python -m converters`` with the remaining arguments."""
    log_path, sep, *rest = sys.argv[1:]
    if sep != "--":
        raise SystemExit("usage: guard.py LOG -- COMMAND ARGS...")
    _install(log_path)
    sys.argv = ["pressroom", *rest]
    runpy.run_module("converters", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()

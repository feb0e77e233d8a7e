"""The `publish` command's own process: what it does before the command line is even parsed.

Two things, both before anything heavy is imported (`publisher.cli` imports argparse and
friends, ~20 ms): hand the call to a warm resident server when one runs for this code
(`publish resident --help`), else let `re` keep its compiled patterns between runs
(`publisher/regex_cache.py`). Only the command does either: `publisher.cli.main(argv)`
called from Python, and the Python API, run in their caller's process as it is.
"""

from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    from publisher.resident.client import forward

    status = forward(args)
    if status is not None:
        return status
    from publisher import regex_cache

    regex_cache.install()
    from publisher.cli import main as run

    return run(args)

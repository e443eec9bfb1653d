"""``python -m bench.seed_scale [seed_scale options]`` (``make seed-scale``): recreate the bench
database, migrate it and fill it with ``manage.py seed_scale`` — one organisation of 50,000
members and 200 of 50 by default — so that ``make bench`` and ``make load`` then run on it
(they keep a database holding that data).
"""

from __future__ import annotations

import sys

from bench.__main__ import setup


def main(argv: list[str] | None = None) -> int:
    setup(fresh=True)
    from django.core.management import call_command

    call_command("seed_scale", *(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

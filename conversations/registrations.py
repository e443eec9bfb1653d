"""What the conversations app adds to other apps' pages and to the member's career record.

Each part of the app registers its own panels and record sections from here.
"""


def register() -> None:
    pass

"""What hr_admin's recommendations adds to shared pages and records (panels, personal-data sections)."""


def register() -> None:
    pass

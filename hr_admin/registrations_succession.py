"""What hr_admin's succession adds to shared pages and records (panels, personal-data sections)."""


def register() -> None:
    pass

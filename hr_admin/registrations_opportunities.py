"""What hr_admin's opportunities adds to shared pages and records (panels, personal-data sections)."""


def register() -> None:
    pass

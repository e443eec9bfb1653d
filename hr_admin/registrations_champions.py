"""What hr_admin's champions adds to shared pages and records (panels, personal-data sections)."""


def register() -> None:
    pass

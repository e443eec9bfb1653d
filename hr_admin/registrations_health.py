"""hr_admin: what this area adds to shared pages (panels, personal-data sections)."""


def register() -> None:
    pass

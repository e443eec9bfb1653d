"""hr_admin: what the recommendations queue adds to shared pages.

Nothing: a member's profile already has the conversations app's recommendations panel (for HR,
leaders and the authors), and recommendations are not part of the career record of the person
they are about.
"""


def register() -> None:
    pass

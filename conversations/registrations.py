"""What the conversations app adds to other apps' pages and to the member's career record.

Each part of the app registers its own panels and record sections: the conversations themselves
(home panel, record), feedback and recommendations (profile panels, record), notifications and
reminders (record).
"""


def register() -> None:
    from . import registrations_conversations, registrations_feedback, registrations_notifications

    registrations_conversations.register()
    registrations_feedback.register()
    registrations_notifications.register_notifications()

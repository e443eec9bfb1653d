"""Forms of the notification pages: shape only (the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference
from .services.notifications import PREFERENCE_FIELDS

HELP = {
    "email_reminders": _("Two days before a conversation as the employee, with the link to "
                         "prepare; one day before as the career partner. Each with the "
                         "calendar entry."),
    "email_digest": _("On Mondays, the reports who have had no career conversation within "
                      "their cadence. Only sent when someone is overdue."),
    "email_outcome_pulse": _("After a conversation, a one-minute rating of what it gave you."),
    "email_updates": _("With the calendar entry, so your calendar stays up to date."),
}


class PreferenceForm(forms.ModelForm):
    """What a member receives by email. In-app notifications are always kept."""

    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS
        help_texts = HELP

    def __init__(self, *args, show_digest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_digest:
            # Only managers get a digest; nothing to choose for anyone else.
            del self.fields["email_digest"]

"""What success stories add to shared pages and to the career record.

* the organisation's home: the latest published stories, with a link to all of them, for
  everyone (one query); HR and leaders with nothing published yet get a prompt to write one;
* the career record: the stories about the member that they were asked about, with the times
  they were asked, agreed, declined or withdrew and the story was published.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_home_panel
from organizations.personal_data import PersonalDataSection, iso, register_personal_data

#: How many stories the home panel shows.
HOME_STORIES = 3


def stories_home_panel(request) -> dict | None:
    from .selectors import stories as selectors
    from .services.stories import can_write_stories

    rows = list(selectors.stories_published(organization=request.organization,
                                            limit=HOME_STORIES))
    if not rows and not can_write_stories(request.membership):
        return None
    for story in rows:
        story.move_text = selectors.describe_move(story.move)
    return {"stories": rows}


def collect_stories(*, organization, member) -> dict:
    from .models import StoryStatus
    from .selectors import stories as selectors

    return {"stories": [
        {"title": s.title, "body": s.body, "status": str(StoryStatus(s.status).label),
         "move": selectors.describe_move(s.move),
         "author": s.author.display_name if s.author else "",
         "consent_requested_at": iso(s.consent_requested_at),
         "consent_given_at": iso(s.consent_given_at),
         "consent_withdrawn_at": iso(s.consent_withdrawn_at),
         "published_at": iso(s.published_at),
         "created_at": iso(s.created_at), "updated_at": iso(s.updated_at)}
        for s in selectors.stories_about(organization=organization, member=member)]}


def register() -> None:
    register_home_panel(Panel(key="hr-stories", template="hr_admin/stories/_home_panel.html",
                              context=stories_home_panel, column="main", order=60,
                              stylesheets=("css/hr-stories.css",)))
    register_personal_data(PersonalDataSection(
        key="success_stories", title=_("Success stories about me"), collect=collect_stories,
        template="hr_admin/stories/_record.html", order=95,
        fields=(
            "hr_admin.SuccessStory.subject", "hr_admin.SuccessStory.move",
            "hr_admin.SuccessStory.title", "hr_admin.SuccessStory.body",
            "hr_admin.SuccessStory.author", "hr_admin.SuccessStory.status",
            "hr_admin.SuccessStory.consent_requested_at",
            "hr_admin.SuccessStory.consent_given_at",
            "hr_admin.SuccessStory.consent_withdrawn_at",
            "hr_admin.SuccessStory.published_at", "hr_admin.SuccessStory.created_at",
            "hr_admin.SuccessStory.updated_at",
        )))

"""Every read of another person's personal data by HR or a manager is in the audit log.

The walk: every organisation route (pages and API, discovered from the URL configuration) whose
URL names an object that belongs to one person (``PERSON_ARGUMENTS``: a member, their check-in,
reflection, plan item, conversation, feedback, recommendation, move, interest, nomination …) is
fetched with the ids of ``tests.routes.ID_SOURCES`` as acme's HR admin and as the employee's
line manager (an API view with no GET is left out). Every answer 200 must have written, during
that request, an audit event by the viewer whose action is a read (ends in ``_viewed``,
``_listed`` or ``_exported``) about that person, and every action written must read as words in
the audit log. Offenders are listed all at once.

The rule, as the test applies it:

* a page or API detail devoted to one other person, or to one object of theirs, audits the read
  with that person as the subject, also when it is a form that shows their data (an edit form);
* a page devoted to one object that shows several people's data (a key position's bench)
  audits the read once, naming the object in the detail; no subject is required;
* lists and directories (the people directory, a team list, queues, a people import's rows) do
  not audit per row;
* nothing to audit when there is nothing of the person in the answer: their own data (the viewer
  is the person), what the viewer wrote or takes part in as the other party (``WRITTEN_BY``), an
  empty API list, and the routes of ``NOT_PERSONAL_READS``, each with why (a confirmation page
  of a write names the object as the list it comes from does).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from careers import models as ca
from conversations import models as cv
from hr_admin.selectors.audit import VIEW_SUFFIXES, describe_action
from organizations.models import AuditEvent
from tests.routes import ID_SOURCES, fill, tenant_routes

pytestmark = pytest.mark.django_db

VIEWERS = ("hr", "manager")

#: A URL argument naming an object that is one person's data → whose (a role of ``people``, as
#: ``ID_SOURCES`` builds it), or ``MANY`` for an object that shows several people.
MANY = "many"
PERSON_ARGUMENTS = {
    "member_id": "employee",
    "check_in_id": "employee",
    "item_id": "employee",
    "notice_id": "employee",
    "reflection_id": "employee",
    "goal_id": "employee",
    "option_id": "employee",
    "criterion_id": "employee",
    "action_id": "employee",
    "conversation_id": "employee",
    "topic_id": "employee",
    "partner_id": "employee",
    "feedback_id": "employee",
    "recommendation_id": "employee",
    "notification_id": "employee",
    "move_id": "employee",
    "interest_id": "employee",
    "nomination_id": "employee",
    "story_id": "employee",
    "champion_nomination_id": "manager",
    "champion_id": "hr",
    # A key position: its incumbent and its bench of successors.
    "position_id": MANY,
    # A people import: the rows of a file naming many people (see NOT_PERSONAL_READS).
    "import_id": MANY,
}
# Not in the list, and why: an invitation (``invitation_id``) shows the address and name HR
# typed, as the invitations list does; the other arguments name organisational content.

#: Who wrote the object, or is the other party to it, in ``ID_SOURCES``: their reading it is not
#: a read of someone else's data (they wrote it, or it is their own partnership).
WRITTEN_BY = {
    "feedback_id": ("manager",),
    "recommendation_id": ("manager",),
    "nomination_id": ("manager",),
    # A success story is written by HR and leaders together, until its member agrees to it.
    "story_id": ("hr", "leader"),
    "champion_nomination_id": ("employee",),
    "partner_id": ("hr",),
}

IMPORT_ROWS = ("a people import's rows: the directory's fields (name, address, job title, team, "
               "manager, roles) of many people, as HR's own file gave them; a list")

#: Routes about a person that show nothing of theirs beyond what lists show, and why.
NOT_PERSONAL_READS = {
    "o/conversations/team/<int:member_id>/schedule/":
        "the form to schedule with a report: their name, last conversation date and cadence, "
        "as the team list shows them",
    "o/conversations/<int:conversation_id>/reschedule/":
        "a form of a conversation the viewer takes part in: its time and place",
    "o/conversations/<int:conversation_id>/cancel/":
        "a form of a conversation the viewer takes part in: its time and the other person",
    "api/v1/o/conversations/conversations/<int:conversation_id>/private-note/":
        "the caller's own private note, nobody else's",
    "api/v1/o/conversations/team/<int:member_id>/cadence/":
        "how often the member is due a conversation: a setting, as the team list shows it",
    "api/v1/o/skills/members/<int:member_id>/role/":
        "the role profile a member holds: every colleague may read it, like a job title",
    "o/hr/champions/<int:champion_id>/":
        "an Office Career Champion's page: their statement, for every member (the anonymous "
        "citations HR reads there are audited when shown)",
    "api/v1/o/hr/champions/<int:champion_id>/":
        "an Office Career Champion's page: their statement, for every member (the anonymous "
        "citations HR reads there are audited when shown)",
    "o/hr/import/<int:import_id>/status/": "progress figures of a run, no names",
    "o/hr/import/<int:import_id>/": IMPORT_ROWS,
    "o/hr/import/<int:import_id>/problems.csv": IMPORT_ROWS,
    "api/v1/o/hr/import/<int:import_id>/": IMPORT_ROWS,
    "api/v1/o/hr/import/<int:import_id>/problems/": IMPORT_ROWS,
    "o/hr/succession/positions/<int:position_id>/edit/":
        "a key position as HR keeps it, without its bench (the bench's page is audited)",
    "o/hr/succession/positions/<int:position_id>/retire/":
        "a confirmation of a write: names the position, as the succession overview does",
    "o/hr/succession/nominations/<int:nomination_id>/delete/":
        "a confirmation of a write: names the candidate and the position, as the list does",
    "o/hr/moves/<int:move_id>/delete/":
        "a confirmation of a write: the move as the moves list shows it",
    "o/hr/leavers/<int:member_id>/erase/":
        "the erasure's confirmation: how many rows of each kind it changes (the erasure is "
        "audited)",
    "o/people/<int:member_id>/edit/":
        "the directory's fields (name, job title, team, manager, roles) as a form",
}


def _key(route: str) -> str:
    return route.replace("<slug:org_slug>/", "")


def _arguments(route: str) -> list[str]:
    return [name for name in re.findall(r"<(?:\w+:)?(\w+)>", route) if name != "org_slug"]


def _answers_get(pattern) -> bool:
    view = getattr(pattern.callback, "cls", None)
    return view is None or hasattr(view, "get")


def _shows_nothing(response) -> bool:
    """An API answer that is an empty list (or an empty page of one)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    data = response.json()
    return data == [] or (isinstance(data, dict) and data.get("results") == []
                          and not data.get("count"))


def _richer(people, ids):
    """What ``ID_SOURCES`` leaves empty and a partner may read: an area of the employee's
    reflection attached to the conversation, an agreed action and the outcome."""
    org = people.org
    conversation = cv.Conversation.objects_unscoped.get(pk=ids["conversation_id"])
    reflection = ca.Reflection.objects_unscoped.get(pk=ids["reflection_id"])
    cv.ConversationArea.objects_unscoped.create(
        organization=org, conversation=conversation, reflection=reflection,
        area_id=ids["area_id"])
    cv.AgreedAction.objects_unscoped.create(
        organization=org, conversation=conversation,
        action=ca.DevelopmentAction.objects_unscoped.get(pk=ids["action_id"]),
        created_by=people.manager)
    cv.Outcome.objects_unscoped.create(organization=org, conversation=conversation,
                                       direction=4, self_insight=4, options=3, confidence=5)
    conversation.scheduled_at = timezone.now() - timedelta(hours=2)
    conversation.save(update_fields=["scheduled_at"])


def test_every_read_of_another_persons_data_by_hr_or_a_manager_is_audited(
        people, login, capsys):
    # Given acme's objects of every kind, the employee's (and a few others')
    ids = {**ID_SOURCES(people), "org_slug": people.org.slug}
    _richer(people, ids)
    roles = people.by_role()
    routes = [(route, pattern) for route, pattern in tenant_routes()
              if set(_arguments(route)) & set(PERSON_ARGUMENTS) and _answers_get(pattern)]
    assert len(routes) >= 80, "route discovery found suspiciously few routes about a person"
    stale = sorted(set(NOT_PERSONAL_READS) - {_key(route) for route, _p in routes})
    assert stale == [], f"NOT_PERSONAL_READS names routes that do not exist: {stale}"

    offenders, audited, requests, recorded = [], 0, 0, set()
    for viewer_role in VIEWERS:
        viewer = roles[viewer_role]
        client = login(viewer)
        for route, _pattern in routes:
            names = [n for n in _arguments(route) if n in PERSON_ARGUMENTS]
            whose = {PERSON_ARGUMENTS[n] for n in names} - {MANY}
            assert len(whose) <= 1, f"{route}: its arguments name different people"
            subject = roles[whose.pop()] if whose else None
            if subject == viewer or any(viewer_role in WRITTEN_BY.get(n, ()) for n in names):
                continue
            # When HR or the manager asks for it
            url = fill(route, ids)
            last = AuditEvent.objects_unscoped.order_by("-pk").values_list("pk", flat=True)
            last = last.first() or 0
            if route.startswith("api/"):
                response = client.get(url, HTTP_ACCEPT="application/json")
            else:
                response = client.get(url)
            requests += 1
            if response.status_code != 200 or _key(route) in NOT_PERSONAL_READS:
                continue
            if _shows_nothing(response):
                continue
            # Then the read is in the audit log, about that person
            events = list(AuditEvent.objects_unscoped.filter(pk__gt=last, actor=viewer)
                          .values_list("action", "subject_id"))
            recorded |= {action for action, _s in events}
            reads = [(a, s) for a, s in events if a.endswith(VIEW_SUFFIXES)]
            if subject is not None:
                reads = [(a, s) for a, s in reads if s == subject.pk]
            if reads:
                audited += 1
            else:
                offenders.append(f"{viewer_role}: GET {_key(route)} wrote {events or 'nothing'}")
    with capsys.disabled():
        print(f"\naudited reads: {len(routes)} routes about a person, {requests} requests as "
              f"{' and '.join(VIEWERS)}, {audited} reads audited, {len(offenders)} not")
    assert offenders == [], ("These reads of another person's data are not in the audit log "
                             "(audit the read, or declare the route in NOT_PERSONAL_READS with "
                             "why):\n" + "\n".join(offenders))
    assert audited >= 20
    assert sorted(a for a in recorded if not describe_action(a)) == [], \
        "an action without a description in hr_admin.selectors.audit.ACTIONS"

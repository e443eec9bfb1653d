"""Erasing a leaver: who may, whom, the confirmation, doing it twice, an account that another
organisation still holds, the preview, the pages and the API."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.factories import CareerGoalFactory
from conversations.factories import FeedbackFactory, HeldConversationFactory
from conversations.models import Conversation, Feedback
from hr_admin.models import Champion
from hr_admin.services import erasure as services
from organizations import services as org_services
from organizations.erasure import ErasedIdentity, erasure_identity
from organizations.factories import MembershipFactory, UserFactory
from organizations.models import AuditEvent, Membership, User
from skills.factories import SkillRatingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(people):
    """A former member with a goal, feedback received and a held conversation."""
    member = MembershipFactory(
        organization=people.org, manager=people.manager, job_title="Analyst",
        user=UserFactory(email="lena.leaver@acme.test", first_name="Lena", last_name="Leaver"))
    CareerGoalFactory(member=member, title="Lead the data team", motivation="Growth")
    FeedbackFactory(member=member, author=people.manager, text="Lena explains things well")
    HeldConversationFactory(member=member, partner=people.manager, shared_notes="Plans")
    SkillRatingFactory(member=member, self_level=3, validated_level=4)
    org_services.membership_deactivate(membership=member, actor=people.hr)
    return Membership.objects_unscoped.select_related("user").get(pk=member.pk)


def erase(people, member, confirmation="Lena Leaver"):
    return services.member_erase(organization=people.org, actor=people.hr, member=member,
                                 confirmation=confirmation)


def page(org, name, member):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, "member_id": member.pk})


def api(org, member):
    return reverse("hr_admin-api:leaver-erasure", kwargs={"org_slug": org.slug,
                                                          "member_id": member.pk})


# --- The service --------------------------------------------------------------------------------


def test_erasing_blanks_their_texts_keeps_the_figures_and_records_one_nameless_event(
        people, leaver):
    result = erase(people, leaver)
    assert not result.already_erased and result.total > 0
    leaver.refresh_from_db()
    assert leaver.display_name == f"Former member {leaver.pk}"
    assert leaver.job_title == ""
    assert Feedback.objects_unscoped.get(member=leaver).text == ""
    assert Conversation.objects_unscoped.get(member=leaver).shared_notes == ""
    assert Conversation.objects_unscoped.get(member=leaver).status == "held"
    event = AuditEvent.objects_unscoped.get(action="member.erased")
    assert event.subject == leaver and event.actor == people.hr
    assert "Lena" not in str(event.detail) and "leaver@" not in str(event.detail)
    assert event.detail["counts"]["careers"]["goals"] == 1


def test_an_active_member_cannot_be_erased(people):
    with pytest.raises(ValidationError) as error:
        services.member_erase(organization=people.org, actor=people.hr,
                              member=people.employee,
                              confirmation=people.employee.display_name)
    assert "still an active member" in str(error.value.message_dict["member"])
    people.employee.refresh_from_db()
    assert people.employee.user.email == "employee@acme.test"


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_can_erase(people, leaver, role):
    with pytest.raises(PermissionDenied):
        services.member_erase(organization=people.org, actor=people.by_role()[role],
                              member=leaver, confirmation="Lena Leaver")


def test_a_mistyped_name_changes_nothing(people, leaver):
    with pytest.raises(ValidationError) as error:
        erase(people, leaver, confirmation="Lena Lever")
    assert "confirmation" in error.value.message_dict
    leaver.refresh_from_db()
    assert leaver.user.email == "lena.leaver@acme.test"
    assert not AuditEvent.objects_unscoped.filter(action="member.erased").exists()


def test_the_email_address_in_any_case_also_confirms(people, leaver):
    assert not erase(people, leaver, confirmation="  LENA.Leaver@acme.test ").already_erased


def test_erasing_twice_is_harmless(people, leaver):
    erase(people, leaver)
    leaver.refresh_from_db()
    anonymous = leaver.user_id
    again = services.member_erase(organization=people.org, actor=people.hr, member=leaver,
                                  confirmation="anything")
    assert again.already_erased
    leaver.refresh_from_db()
    assert leaver.user_id == anonymous
    assert AuditEvent.objects_unscoped.filter(action="member.erased").count() == 1


def test_the_account_survives_when_they_still_belong_to_another_organisation(
        people, other_people, leaver):
    # Given the leaver also works at globex
    elsewhere = MembershipFactory(organization=other_people.org, user=leaver.user,
                                  job_title="Consultant")
    real = leaver.user
    # When acme erases them
    erase(people, leaver)
    # Then their account, address and globex membership are untouched
    real.refresh_from_db()
    assert (real.email, real.first_name, real.last_name) == \
        ("lena.leaver@acme.test", "Lena", "Leaver")
    assert real.has_usable_password() and real.is_active
    assert EmailAddress.objects.filter(user=real, email="lena.leaver@acme.test").exists()
    elsewhere.refresh_from_db()
    assert elsewhere.user_id == real.pk and elsewhere.job_title == "Consultant"
    # while acme's membership now belongs to an anonymous account
    leaver.refresh_from_db()
    assert leaver.user_id != real.pk and not leaver.user.is_active


def test_the_account_is_deleted_when_no_other_organisation_holds_it(people, leaver):
    real_id = leaver.user_id
    result = erase(people, leaver)
    assert not User.objects.filter(pk=real_id).exists()
    assert not EmailAddress.objects.filter(user_id=real_id).exists()
    account = next(s for s in result.sections if s.section.key == "account")
    assert account.counts["account_deleted"] == 1


def test_the_preview_counts_everything_and_changes_nothing(people, leaver):
    preview = services.erasure_preview(organization=people.org, actor=people.hr, member=leaver)
    counts = preview.as_counts()
    assert counts["careers"]["goals"] == 1
    assert counts["conversations"]["feedback"] == 1
    assert counts["account"]["account_deleted"] == 1
    leaver.refresh_from_db()
    assert leaver.user.email == "lena.leaver@acme.test" and leaver.job_title == "Analyst"
    assert Feedback.objects_unscoped.get(member=leaver).text == "Lena explains things well"
    assert User.objects.filter(email="lena.leaver@acme.test").exists()
    assert not AuditEvent.objects_unscoped.filter(action="member.erased").exists()


def test_a_former_champion_stops_being_one(people, leaver):
    Champion.objects_unscoped.create(organization=people.org, member=leaver,
                                     since=timezone.localdate(), statement="Ask me")
    erase(people, leaver)
    champion = Champion.objects_unscoped.get(member=leaver)
    assert champion.statement == "" and champion.ended_at is not None


# --- Mentions -----------------------------------------------------------------------------------


def test_mentions_are_replaced_by_address_full_name_and_names_no_one_else_has():
    identity = ErasedIdentity(email="lena.leaver@acme.test", first_name="Lena",
                              last_name="Leaver", replacement="Former member 7",
                              bare_names=["Leaver"])
    assert identity.scrub("Mail LENA.LEAVER@acme.test or ask lena  leaver.") == \
        "Mail Former member 7 or ask Former member 7."
    # the distinctive last name on its own goes; the first name, shared, stays
    assert identity.scrub("Leaver said Lena would help; Leavers' day") == \
        "Former member 7 said Lena would help; Leavers' day"
    assert identity.scrub_value({"problems": [{"message": "No lena.leaver@acme.test"}]}) == \
        {"problems": [{"message": "No Former member 7"}]}


def test_a_name_another_member_shares_is_not_a_mention_on_its_own(people, leaver):
    MembershipFactory(organization=people.org, user=UserFactory(first_name="Lena",
                                                                last_name="Other"))
    identity = erasure_identity(organization=people.org, member=leaver)
    assert identity.bare_names == ("Leaver",)


# --- Pages --------------------------------------------------------------------------------------


def test_the_confirmation_page_shows_what_goes_and_what_stays(people, leaver, login):
    response = login(people.hr).get(page(people.org, "leaver_erase", leaver))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Erase Lena Leaver" in text
    assert "career goals blanked" in text
    assert "pieces of feedback received or given blanked" in text
    assert "Kept:" in text and "Career moves (kind, date, roles, grades, teams)" in text
    assert 'name="confirmation"' in text
    leaver.refresh_from_db()
    assert leaver.user.email == "lena.leaver@acme.test"


def test_a_mistyped_name_re_renders_with_the_error(people, leaver, login):
    response = login(people.hr).post(page(people.org, "leaver_erase", leaver),
                                     {"confirmation": "Lena"})
    assert response.status_code == 400
    assert "Type the person&#x27;s full name or email address" in response.content.decode()
    leaver.refresh_from_db()
    assert not services.is_erased(leaver)


def test_confirming_erases_and_shows_the_result(people, leaver, login):
    client = login(people.hr)
    response = client.post(page(people.org, "leaver_erase", leaver),
                           {"confirmation": "lena leaver"}, follow=True)
    assert response.redirect_chain[-1][0] == page(people.org, "leaver_erased", leaver)
    text = response.content.decode()
    assert "Personal data erased" in text and f"Former member {leaver.pk}" in text
    assert "career goals blanked" in text
    assert "Lena" not in text
    # the erase page of an erased member leads to the result
    again = client.get(page(people.org, "leaver_erase", leaver))
    assert again.status_code == 302


def test_an_active_member_page_explains_and_posting_is_refused(people, login):
    client = login(people.hr)
    response = client.get(page(people.org, "leaver_erase", people.employee))
    assert response.status_code == 200
    assert "still an active member" in response.content.decode()
    assert 'name="confirmation"' not in response.content.decode()
    posted = client.post(page(people.org, "leaver_erase", people.employee),
                         {"confirmation": people.employee.display_name})
    assert posted.status_code == 400
    people.employee.refresh_from_db()
    assert people.employee.user.email == "employee@acme.test"


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_erasure_pages_do_not_exist_for_anyone_but_hr(people, leaver, login, role):
    client = login(people.by_role()[role])
    for name in ("leaver_erase", "leaver_erased"):
        assert client.get(page(people.org, name, leaver)).status_code == 404
    assert client.post(page(people.org, "leaver_erase", leaver),
                       {"confirmation": "Lena Leaver"}).status_code == 404
    assert client.get(reverse("hr_admin:leavers",
                              kwargs={"org_slug": people.org.slug})).status_code == 404
    leaver.refresh_from_db()
    assert not services.is_erased(leaver)


def test_another_organisations_member_is_404(people, other_people, login):
    theirs = other_people.employee
    org_services.membership_deactivate(membership=theirs, actor=other_people.hr)
    client = login(people.hr)
    assert client.get(page(people.org, "leaver_erase", theirs)).status_code == 404
    assert client.post(page(people.org, "leaver_erase", theirs),
                       {"confirmation": theirs.display_name}).status_code == 404
    assert client.post(api(people.org, theirs),
                       {"confirmation": theirs.display_name}).status_code == 404
    theirs.refresh_from_db()
    assert not services.is_erased(theirs)


def test_the_leavers_page_lists_former_members_and_the_erased(people, leaver, login):
    client = login(people.hr)
    url = reverse("hr_admin:leavers", kwargs={"org_slug": people.org.slug})
    waiting = client.get(url)
    assert [m.pk for m in waiting.context["page"].object_list] == [leaver.pk]
    assert waiting.context["page"].object_list[0].left_on == timezone.localdate()
    erase(people, leaver)
    assert list(client.get(url).context["page"].object_list) == []
    erased = client.get(url, {"view": "erased"})
    assert [m.pk for m in erased.context["page"].object_list] == [leaver.pk]
    assert erased.context["counts"] == {"waiting": 0, "erased": 1}


def test_the_leavers_page_costs_the_same_queries_for_few_and_many(people, login):
    client = login(people.hr)
    url = reverse("hr_admin:leavers", kwargs={"org_slug": people.org.slug})

    def leave(n):
        for _ in range(n):
            member = MembershipFactory(organization=people.org)
            org_services.membership_deactivate(membership=member, actor=people.hr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    leave(2)
    few = queries()
    leave(20)
    assert queries() == few


def test_hr_finds_the_erasure_on_a_former_members_profile(people, leaver, login):
    profile = reverse("organizations:member_detail",
                      kwargs={"org_slug": people.org.slug, "member_id": leaver.pk})
    text = login(people.hr).get(profile).content.decode()
    assert page(people.org, "leaver_erase", leaver) in text
    active = reverse("organizations:member_detail",
                     kwargs={"org_slug": people.org.slug, "member_id": people.employee.pk})
    assert "/erase/" not in login(people.hr).get(active).content.decode()
    assert "Audit trail" not in login(people.leader).get(active).content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_api_previews_then_erases(people, leaver, login):
    client = login(people.hr)
    preview = client.get(api(people.org, leaver)).json()
    assert preview["erased"] is False and preview["member"]["name"] == "Lena Leaver"
    careers = next(s for s in preview["sections"] if s["key"] == "careers")
    assert {"key": "goals", "label": "career goals blanked", "count": 1} in careers["changes"]
    done = client.post(api(people.org, leaver), {"confirmation": "Lena Leaver"},
                       content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["erased"] is True and body["member"]["name"] == f"Former member {leaver.pk}"
    assert body["total"] == preview["total"]
    # reading it afterwards gives what the erasure changed
    after = client.get(api(people.org, leaver)).json()
    assert after["erased"] is True and after["total"] == preview["total"]


def test_api_refusals_are_400_with_field_messages(people, leaver, login):
    client = login(people.hr)
    missing = client.post(api(people.org, leaver), {}, content_type="application/json")
    assert missing.status_code == 400 and "confirmation" in missing.json()["errors"]
    wrong = client.post(api(people.org, leaver), {"confirmation": "Someone"},
                        content_type="application/json")
    assert wrong.status_code == 400 and "confirmation" in wrong.json()["errors"]
    active = client.post(api(people.org, people.employee),
                         {"confirmation": people.employee.display_name},
                         content_type="application/json")
    assert active.status_code == 400 and "member" in active.json()["errors"]
    assert client.get(api(people.org, people.employee)).status_code == 400


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_api_erasure_does_not_exist_for_anyone_but_hr(people, leaver, login, role):
    client = login(people.by_role()[role])
    assert client.get(api(people.org, leaver)).status_code == 404
    assert client.post(api(people.org, leaver), {"confirmation": "Lena Leaver"},
                       content_type="application/json").status_code == 404
    assert client.get(reverse("hr_admin-api:leaver-list",
                              kwargs={"org_slug": people.org.slug})).status_code == 404


def test_api_lists_leavers(people, leaver, login):
    client = login(people.hr)
    url = reverse("hr_admin-api:leaver-list", kwargs={"org_slug": people.org.slug})
    body = client.get(url).json()
    assert [(r["id"], r["email"], r["erased"]) for r in body["results"]] == \
        [(leaver.pk, "lena.leaver@acme.test", False)]
    erase(people, leaver)
    erased = client.get(url, {"erased": "true"}).json()
    assert [(r["id"], r["email"], r["erased"]) for r in erased["results"]] == \
        [(leaver.pk, None, True)]

"""Scoring a survey in SQL: the figures, suppression of slices, interim snapshots, idempotence."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hr_admin.models import SurveyScore, SurveyStatus
from hr_admin.services import health_scoring as scoring
from hr_admin.tasks_scoring import health_scoring_scan, health_survey_score

from .factories_health_results import questions_of, respond, survey_with_questions, team

pytestmark = pytest.mark.django_db

FIELDS = ("slice_kind", "slice_key", "measure", "respondents", "favourable", "mean", "value",
          "suppressed", "is_final")


def rows(survey):
    return sorted(SurveyScore.objects_unscoped.filter(survey=survey).values_list(*FIELDS),
                  key=lambda r: tuple(str(x) for x in r))


def score(survey, measure, kind="overall", key=""):
    return SurveyScore.objects_unscoped.get(survey=survey, slice_kind=kind, slice_key=key,
                                            measure=measure)


def test_figures_follow_the_definitions(org):
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=3, invited=8,
                                   dimensions=["conversations", "managers"])
    first, second, managers = [q for q in questions_of(survey) if q.kind == "likert"]
    # conversations: answers 5,4 / 2,1 / 3,3 → points 100,75,25,0,50,50 → mean 50
    # managers: 5, 1, 4 → points 100, 0, 75 → 58.33; index (50 + 58.33) / 2
    # eNPS: 10, 6, 9 → promoters 2, detractors 1 of 3 → 33.3
    respond(survey, values={first.key: 5, second.key: 4, managers.key: 5, "enps": 10})
    respond(survey, values={first.key: 2, second.key: 1, managers.key: 1, "enps": 6})
    respond(survey, values={first.key: 3, second.key: 3, managers.key: 4, "enps": 9})
    assert scoring.survey_score(organization=org, survey=survey, final=True)

    q = score(survey, scoring.question_measure(first.pk))
    assert (q.respondents, q.favourable, q.mean) == (3, pytest.approx(100 / 3), 10 / 3)
    assert score(survey, "dimension:conversations").value == pytest.approx(50)
    assert score(survey, "dimension:managers").value == pytest.approx(175 / 3)
    assert score(survey, "index").value == pytest.approx((50 + 175 / 3) / 2)
    assert score(survey, "enps").value == pytest.approx(100 / 3)
    rate = score(survey, "response_rate")
    assert (rate.respondents, rate.value) == (3, pytest.approx(37.5))
    survey.refresh_from_db()
    assert survey.scored_at is not None


def test_five_two_and_three_show_the_five_team_only(org):
    a, b, c = team(org, "Atlas"), team(org, "Beacon"), team(org, "Comet")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5)
    for _ in range(5):
        respond(survey, team=a, likert=5)
    for _ in range(2):
        respond(survey, team=b, likert=1)
    for _ in range(3):
        respond(survey, team=c, likert=2)
    scoring.survey_score(organization=org, survey=survey, final=True)

    shown = score(survey, "index", "team", str(a.pk))
    assert (shown.suppressed, shown.value, shown.respondents) == ("", 100, 5)
    for hidden in (b, c):
        row = score(survey, "index", "team", str(hidden.pk))
        assert (row.suppressed, row.value, row.respondents, row.mean) == ("small", None, None,
                                                                          None)
    overall = score(survey, "index")
    assert overall.value == pytest.approx((5 * 100 + 3 * 25) / 10)


def test_two_teams_of_five_and_two_hide_both(org):
    a, b = team(org, "Atlas"), team(org, "Beacon")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5)
    for _ in range(5):
        respond(survey, team=a)
    for _ in range(2):
        respond(survey, team=b)
    scoring.survey_score(organization=org, survey=survey, final=True)
    assert score(survey, "index", "team", str(a.pk)).suppressed == "complement"
    assert score(survey, "index", "team", str(b.pk)).suppressed == "small"
    assert score(survey, "index").suppressed == ""
    # No number at all on a hidden row, not even for one question.
    hidden = SurveyScore.objects_unscoped.filter(survey=survey).exclude(suppressed="")
    assert hidden.exists()
    assert not hidden.exclude(respondents=None, favourable=None, mean=None, value=None).exists()


def test_a_question_few_answered_is_hidden_even_in_a_large_team(org):
    a, b = team(org, "Atlas"), team(org, "Beacon")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=3, enps=False)
    question = next(q for q in questions_of(survey) if q.kind == "likert")
    for n in range(4):
        respond(survey, team=a, values={question.key: 5 if n < 2 else None})
    for _ in range(4):
        respond(survey, team=b)
    scoring.survey_score(organization=org, survey=survey, final=True)
    measure = scoring.question_measure(question.pk)
    # Team a answered it twice (below 3); team b then goes too, or overall - b gives a's two.
    assert score(survey, measure, "team", str(a.pk)).suppressed == "small"
    assert score(survey, measure, "team", str(b.pk)).suppressed == "complement"
    assert score(survey, measure).respondents == 6
    assert score(survey, "index", "team", str(a.pk)).suppressed == ""


def test_tenure_bands_and_no_team_are_cells_of_their_own(org):
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=3)
    for _ in range(3):
        respond(survey, tenure="lt1")
    for n in range(3):
        respond(survey, tenure="gt5", team=team(org, f"Solo {n}"))
    scoring.survey_score(organization=org, survey=survey, final=True)
    assert score(survey, "index", "tenure", "lt1").suppressed == ""
    assert score(survey, "index", "team", scoring.NO_TEAM).respondents == 3
    # Three one-person teams of three: all small.
    assert SurveyScore.objects_unscoped.filter(
        survey=survey, slice_kind="team", measure="index", suppressed="small").count() == 3


def test_a_survey_below_the_threshold_shows_no_score(org):
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=5, invited=10)
    for _ in range(4):
        respond(survey)
    scoring.survey_score(organization=org, survey=survey, final=True)
    assert score(survey, "index").suppressed == "small"
    assert score(survey, "enps").value is None
    assert score(survey, "response_rate").value == 40


def test_interim_scoring_publishes_only_the_response_rate_in_steps_of_k(org):
    a = team(org, "Atlas")
    survey = survey_with_questions(org, k=3, invited=10)
    for _ in range(2):
        respond(survey, team=a, likert=5)
    assert not scoring.survey_score(organization=org, survey=survey, final=False)
    assert not SurveyScore.objects_unscoped.filter(survey=survey).exists()

    respond(survey, team=a, likert=5)
    assert scoring.survey_score(organization=org, survey=survey, final=False)
    # No score before close: two snapshots, or the last one and the final figures, would
    # otherwise isolate what the people who answered in between said.
    assert list(SurveyScore.objects_unscoped.filter(survey=survey)
                .values_list("measure", flat=True)) == ["response_rate"]
    assert score(survey, "response_rate").respondents == 3

    # Two more (fewer than k since the last snapshot): the snapshot stays as it was.
    respond(survey, team=a, likert=1)
    respond(survey, team=a, likert=1)
    assert not scoring.survey_score(organization=org, survey=survey, final=False)
    assert score(survey, "response_rate").respondents == 3
    respond(survey, team=a, likert=1)
    assert scoring.survey_score(organization=org, survey=survey, final=False)
    assert score(survey, "response_rate").respondents == 6
    assert not SurveyScore.objects_unscoped.filter(survey=survey, is_final=True).exists()


def test_the_task_scores_and_final_scores_replace_interim_ones(org):
    a = team(org, "Atlas")
    survey = survey_with_questions(org, k=3)
    for _ in range(6):
        respond(survey, team=a)
    assert health_survey_score.delay(org.pk, survey.pk).get()
    survey.status = SurveyStatus.CLOSED
    survey.save()
    assert health_survey_score.delay(org.pk, survey.pk, final=True).get()
    assert SurveyScore.objects_unscoped.filter(survey=survey, is_final=False).count() == 0
    assert score(survey, "index", "team", str(a.pk)).respondents == 6
    # An interim run after the final one changes nothing.
    assert not health_survey_score.delay(org.pk, survey.pk).get()


def test_another_organisations_survey_is_not_scored_in_this_one(org, other_org):
    survey = survey_with_questions(other_org, k=3)
    assert not health_survey_score.delay(org.pk, survey.pk, final=True).get()


def test_the_scan_scores_open_surveys_and_closed_ones_without_final_scores(org, other_org):
    open_survey = survey_with_questions(org, k=3)
    closed = survey_with_questions(other_org, status=SurveyStatus.CLOSED, k=3)
    draft = survey_with_questions(org, status=SurveyStatus.DRAFT, k=3)
    for survey in (open_survey, closed, draft):
        for _ in range(3):
            respond(survey)
    assert health_scoring_scan.delay().get() == 2
    assert score(open_survey, "response_rate").is_final is False
    assert not SurveyScore.objects_unscoped.filter(survey=open_survey, measure="index").exists()
    assert score(closed, "index").is_final is True
    assert not SurveyScore.objects_unscoped.filter(survey=draft).exists()
    # Scored since it closed: the next scan leaves it alone.
    assert health_scoring_scan.delay().get() == 1


_names = itertools.count()
answers = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["lt1", "1to3", "gt5"]),
                             st.integers(1, 5), st.integers(0, 10)), min_size=0, max_size=14)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(answers, st.integers(3, 5))
def test_scoring_twice_gives_the_same_rows_and_keeps_the_promises(org, people_answers, k):
    teams = [None] + [team(org, f"T{next(_names)}") for _ in range(3)]
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=k,
                                   dimensions=["conversations", "skills"])
    for team_index, band, likert, enps in people_answers:
        respond(survey, team=teams[team_index], tenure=band, likert=likert, enps=enps)
    scoring.survey_score(organization=org, survey=survey, final=True)
    first = rows(survey)
    scoring.survey_score(organization=org, survey=survey, final=True)
    assert rows(survey) == first
    for _kind, _key, measure, respondents, fav, mean, value, suppressed, _final in first:
        if suppressed:
            assert (respondents, fav, mean, value) == (None, None, None, None)
        elif measure != "response_rate":
            assert respondents >= k
    for measure in {r[2] for r in first if r[2] != "response_rate"}:
        for kind in ("team", "tenure"):
            cells = [r for r in first if r[0] == kind and r[2] == measure]
            overall = next(r for r in first if r[0] == "overall" and r[2] == measure)
            if overall[7]:
                assert all(r[7] for r in cells)
                continue
            hidden = overall[3] - sum(r[3] for r in cells if not r[7])
            assert hidden == 0 or hidden >= k


def test_the_portable_aggregate_of_the_local_default_gives_the_same_rows(org, monkeypatch):
    """The SQLite path of ``make run`` (three ORM aggregates, row-by-row insert) writes exactly
    what PostgreSQL's one-pass GROUPING SETS query writes."""
    from django.db import connection

    a, b = team(org, "Atlas"), team(org, "Beacon")
    survey = survey_with_questions(org, status=SurveyStatus.CLOSED, k=3, invited=12)
    for value in (5, 4, 4, 2, 1):
        respond(survey, team=a, likert=value)
    for value in (3, 5, 2, 4):
        respond(survey, team=b, likert=value)
    scoring.survey_score(organization=org, survey=survey, final=True)
    on_postgresql = rows(survey)

    monkeypatch.setattr(connection, "vendor", "sqlite")
    scoring.survey_score(organization=org, survey=survey, final=True)

    assert rows(survey) == on_postgresql and len(on_postgresql) > 20

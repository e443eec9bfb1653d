"""Health-check scoring at scale: 40,000 respondents x 30 questions (1.2 million answers).

A fresh organisation with 500 teams of about 80 people, one closed survey of the shipped
question set cut to 30 scored questions (29 agreement questions over the eight dimensions and
the career eNPS question), and 40,000 responses spread unevenly over the teams and tenure
bands. Answers are generated in the database in one ``INSERT … SELECT`` (seeded, so every run
scores the same answers).

Measured as a worker runs it: ``survey_score(final=True)`` under the application role and the
organisation's scope, twice (the second run must write the same rows).

Target (issue 7): under 10 s.
"""

from __future__ import annotations

import time

TEAMS = 500
QUESTIONS = 30


def _fresh_organization(respondents: int):
    from django.db import transaction

    from organizations.models import Membership, User
    from organizations.services import organization_create

    stamp = time.strftime("%Y%m%d%H%M%S")
    slug = f"bench-health-{respondents}-{stamp}"
    with transaction.atomic():
        founder = User.objects.create_user(email=f"hr@{slug}.example", password=None,
                                           first_name="Bench", last_name="Admin")
        org = organization_create(name=f"Bench health {respondents}", slug=slug,
                                  founder=founder, time_zone="Europe/London")
        hr = Membership.objects_unscoped.get(organization=org, user=founder)
    return org, hr


def _generate(org, hr, respondents: int):
    from django.db import connection, transaction
    from django.utils import timezone

    from hr_admin import health_content
    from hr_admin.models import HealthQuestionKind, Survey, SurveyQuestion, SurveyStatus
    from organizations.models import Team

    with transaction.atomic():
        teams = Team.objects_unscoped.bulk_create(
            [Team(organization=org, name=f"Team {n:03d}") for n in range(TEAMS)])
        now = timezone.now()
        survey = Survey.objects_unscoped.create(
            organization=org, title="Bench survey", status=SurveyStatus.CLOSED,
            invited_count=round(respondents * 1.25), response_count=respondents,
            created_by=hr, launched_at=now, closed_at=now)
        likert = [q for q in health_content.QUESTIONS if q[2] == HealthQuestionKind.LIKERT]
        enps = [q for q in health_content.QUESTIONS if q[2] == HealthQuestionKind.ENPS]
        chosen = (likert * 2)[:QUESTIONS - 1] + enps[:1]
        questions = SurveyQuestion.objects_unscoped.bulk_create([
            SurveyQuestion(organization=org, survey=survey, key=f"{key}-{n}", dimension=dim,
                           kind=kind, text=str(text)[:300], position=n)
            for n, (key, dim, kind, text) in enumerate(chosen)])
        team_ids = [t.pk for t in teams]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
            # Team sizes vary; the last teams get only a handful of people (suppressed).
            cursor.execute("""
                INSERT INTO hr_admin_surveyresponse (id, organization_id, survey_id, team_id,
                                                     tenure_band)
                SELECT gen_random_uuid(), %(org)s, %(survey)s,
                       (%(teams)s::bigint[])[1 + (floor(power(random(), 1.3) * %(n_teams)s))::int],
                       (ARRAY['lt1','1to3','3to5','gt5','unknown'])[1 + floor(random() * 5)::int]
                  FROM generate_series(1, %(respondents)s)
            """, {"org": org.pk, "survey": survey.pk, "teams": team_ids, "n_teams": TEAMS,
                  "respondents": respondents})
            cursor.execute("""
                INSERT INTO hr_admin_surveyanswer (id, organization_id, response_id,
                                                   question_id, value)
                SELECT gen_random_uuid(), %(org)s, r.id, q.id,
                       CASE WHEN q.kind = 'enps' THEN (random() * 10)::int
                            ELSE 1 + (random() * 4)::int END
                  FROM hr_admin_surveyresponse r
                 CROSS JOIN hr_admin_surveyquestion q
                 WHERE r.survey_id = %(survey)s AND q.survey_id = %(survey)s
            """, {"org": org.pk, "survey": survey.pk})
            cursor.execute("ANALYZE hr_admin_surveyresponse")
            cursor.execute("ANALYZE hr_admin_surveyanswer")
    return survey, len(questions)


def _score(org, survey) -> tuple[float, list]:

    from hr_admin.models import SurveyScore
    from hr_admin.services.health_scoring import survey_score
    from organizations import tenancy

    started = time.perf_counter()
    with tenancy.as_worker(org):
        survey_score(organization=org, survey=survey, final=True)
    elapsed = time.perf_counter() - started
    rows = sorted(SurveyScore.objects_unscoped.filter(survey_id=survey.pk).values_list(
        "slice_kind", "slice_key", "measure", "respondents", "favourable", "mean", "value",
        "suppressed"))
    return elapsed, rows


def run(rows: int = 40_000) -> dict:
    from hr_admin.models import SurveyAnswer

    org, hr = _fresh_organization(rows)
    started = time.perf_counter()
    survey, questions = _generate(org, hr, rows)
    generated = time.perf_counter() - started
    answers = SurveyAnswer.objects_unscoped.filter(organization=org).count()
    first, scores = _score(org, survey)
    second, again = _score(org, survey)
    if again != scores:
        raise RuntimeError("scoring twice gave different rows")
    team_rows = [r for r in scores if r[0] == "team" and r[2] == "index"]
    return {
        "key": f"health-{rows}",
        "respondents": rows,
        "questions": questions,
        "answers": answers,
        "generate_s": round(generated, 2),
        "score_s": round(first, 2),
        "rescore_s": round(second, 2),
        "target_s": 10,
        "within_target": first < 10,
        "score_rows": len(scores),
        "teams_shown": sum(1 for r in team_rows if not r[7]),
        "teams_suppressed": sum(1 for r in team_rows if r[7]),
        "rescore_changed": 0,
    }

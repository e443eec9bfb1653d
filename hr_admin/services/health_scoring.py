"""Scoring a health-check survey: aggregates in SQL, suppression in Python, rows written whole.

The definitions are those at the end of ``hr_admin.health_content``: favourable is 4 or 5,
points are (value - 1) * 25, a dimension's score is the mean of the points of its answers, the
index the mean of the dimension scores, career eNPS the share answering 9-10 minus the share
answering 0-6; the response rate is responses over invitations.

Interim scoring while a survey is open publishes the response rate only, refreshed once at
least ``min_group_size`` responses arrived since the last snapshot. No score is shown before
close: two scores taken at different moments (two interim ones, or the last interim one and the
final one) would isolate what the people who answered in between said. Every figure is
published once, by the final scoring at close, under the suppression rules of
``hr_admin.health_suppression``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from hr_admin import health_content
from hr_admin import health_suppression as rules
from hr_admin.models import (
    HealthQuestionKind,
    ScoreSlice,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyScore,
)

NO_TEAM = "none"
INDEX = "index"
ENPS = "enps"
RESPONSE_RATE = "response_rate"


def question_measure(question_id: int) -> str:
    return f"question:{question_id}"


def dimension_measure(key: str) -> str:
    return f"dimension:{key}"


# One pass over the survey's answers: per question, overall and per team and per tenure band.
# ``GROUPING(...)`` tells the three sets apart. The answer table has no survey column; the
# (organization, question) index finds the survey's answers through its questions.
AGGREGATE_SQL = """
SELECT a.question_id,
       GROUPING(r.team_id) AS no_team_grouping,
       GROUPING(r.tenure_band) AS no_tenure_grouping,
       r.team_id,
       r.tenure_band,
       COUNT(*) AS answers,
       COUNT(*) FILTER (WHERE a.value >= %(favourable)s) AS favourable,
       SUM(a.value) AS value_sum,
       SUM((a.value - 1) * 25) AS points_sum,
       COUNT(*) FILTER (WHERE a.value >= 9) AS promoters,
       COUNT(*) FILTER (WHERE a.value <= 6) AS detractors
  FROM hr_admin_surveyanswer a
  JOIN hr_admin_surveyresponse r ON r.id = a.response_id
 WHERE a.organization_id = %(organization)s
   AND r.organization_id = %(organization)s
   AND r.survey_id = %(survey)s
   AND a.question_id = ANY(%(questions)s)
 GROUP BY GROUPING SETS ((a.question_id), (a.question_id, r.team_id),
                         (a.question_id, r.tenure_band))
"""


@dataclass
class Tally:
    answers: int = 0
    favourable: int = 0
    value_sum: int = 0
    points_sum: int = 0
    promoters: int = 0
    detractors: int = 0

    def add(self, other: Tally) -> None:
        self.answers += other.answers
        self.favourable += other.favourable
        self.value_sum += other.value_sum
        self.points_sum += other.points_sum
        self.promoters += other.promoters
        self.detractors += other.detractors


@dataclass
class Figures:
    """What the SQL returned, keyed by (slice kind, slice key)."""

    respondents: dict = field(default_factory=dict)
    by_question: dict = field(default_factory=lambda: defaultdict(dict))


def _slice_of(team_grouping, tenure_grouping, team_id, tenure_band):
    if team_grouping and tenure_grouping:
        return ScoreSlice.OVERALL, ""
    if not team_grouping:
        return ScoreSlice.TEAM, str(team_id) if team_id is not None else NO_TEAM
    return ScoreSlice.TENURE, tenure_band


def _aggregate(*, organization, survey, questions) -> Figures:
    figures = Figures()
    responses = SurveyResponse.objects.for_org(organization).filter(survey=survey)
    total = 0
    for team_id, count in _grouped(responses, "team_id"):
        figures.respondents[(ScoreSlice.TEAM, str(team_id) if team_id else NO_TEAM)] = count
        total += count
    for band, count in _grouped(responses, "tenure_band"):
        figures.respondents[(ScoreSlice.TENURE, band)] = count
    figures.respondents[(ScoreSlice.OVERALL, "")] = total
    scored = [q.pk for q in questions if q.kind != HealthQuestionKind.COMMENT]
    if not scored or not total:
        return figures
    for (question_id, team_grouping, tenure_grouping, team_id, band, *numbers) in _tallies(
            organization=organization, survey=survey, questions=scored):
        key = _slice_of(team_grouping, tenure_grouping, team_id, band)
        figures.by_question[question_id][key] = Tally(*(int(n or 0) for n in numbers))
    return figures


def _tallies(*, organization, survey, questions: list[int]):
    """Rows of ``AGGREGATE_SQL``'s shape. PostgreSQL runs it in one pass; other databases (the
    local SQLite default) get the same three groupings from three ORM aggregates."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE_SQL, {
                "favourable": health_content.FAVOURABLE_FROM, "organization": organization.pk,
                "survey": survey.pk, "questions": questions,
            })
            yield from cursor
        return
    from django.db.models import Count, F, Q, Sum

    answers = (SurveyAnswer.objects.for_org(organization)
               .filter(response__survey=survey, question_id__in=questions).order_by())
    numbers = {
        "answers": Count("pk"),
        "favourable": Count("pk", filter=Q(value__gte=health_content.FAVOURABLE_FROM)),
        "value_sum": Sum("value"),
        "points_sum": Sum((F("value") - 1) * 25),
        "promoters": Count("pk", filter=Q(value__gte=9)),
        "detractors": Count("pk", filter=Q(value__lte=6)),
    }
    names = list(numbers)
    for group, team_grouping, tenure_grouping in ((None, 1, 1), ("response__team_id", 0, 1),
                                                   ("response__tenure_band", 1, 0)):
        columns = ["question_id"] + ([group] if group else [])
        for row in answers.values(*columns).annotate(**numbers):
            team_id = row.get("response__team_id") if group == "response__team_id" else None
            band = row.get("response__tenure_band") if group == "response__tenure_band" else None
            yield (row["question_id"], team_grouping, tenure_grouping, team_id, band,
                   *(row[name] for name in names))


def _grouped(queryset, column):
    from django.db.models import Count

    return queryset.order_by().values_list(column).annotate(n=Count("pk")).values_list(column, "n")


def _partition_reasons(counts_by_slice: dict, k: int, *, forced=None) -> dict:
    """Suppression of every slice for one measure: overall, the team and the tenure partitions."""
    forced = forced or {}
    overall = counts_by_slice.get((ScoreSlice.OVERALL, ""), 0)
    reasons = {(ScoreSlice.OVERALL, ""): (
        rules.SMALL if overall < k or forced.get((ScoreSlice.OVERALL, "")) else rules.VISIBLE)}
    for kind in (ScoreSlice.TEAM, ScoreSlice.TENURE):
        cells = {key: n for (slice_kind, key), n in counts_by_slice.items() if slice_kind == kind}
        if reasons[(ScoreSlice.OVERALL, "")]:
            reasons.update({(kind, key): rules.SMALL for key in cells})
            continue
        hidden = [key for key in cells if forced.get((kind, key))]
        for key, why in rules.suppress_partition(cells, k, forced=hidden).items():
            reasons[(kind, key)] = why
    return reasons


# Written with one multi-row INSERT per few thousand rows: building 20,000 model instances
# (500 teams x 40 measures) and compiling them through the ORM took longer than the aggregate.
COLUMNS = ("organization_id", "survey_id", "slice_kind", "slice_key", "measure", "respondents",
           "favourable", "mean", "value", "suppressed", "is_final", "computed_at")


def score_rows(*, survey, questions, figures: Figures, slices: bool, now) -> list[tuple]:
    """The SurveyScore rows for these figures (tuples of ``COLUMNS``), suppressed as the rules
    say."""
    k = survey.min_group_size
    organization_id = survey.organization_id
    keys = [key for key in figures.respondents if slices or key[0] == ScoreSlice.OVERALL]
    base = _partition_reasons({key: figures.respondents[key] for key in keys}, k)
    rows: list[tuple] = []

    def row(key, measure, reason, respondents=None, favourable=None, mean=None, value=None):
        kind, slice_key = key
        if reason:
            respondents = favourable = mean = value = None
        rows.append((organization_id, survey.pk, kind, slice_key, measure, respondents,
                     favourable, mean, value, reason, slices, now))

    def per_measure(tallies: dict) -> dict:
        # A question not everybody answered has its own counts: decide again on them, with the
        # cells already hidden for every respondent kept hidden.
        counts = {key: tallies[key].answers if key in tallies else 0 for key in keys}
        return _partition_reasons(counts, k, forced=base)

    dimension_tallies: dict = defaultdict(lambda: defaultdict(Tally))
    dimension_counts: dict = defaultdict(lambda: defaultdict(int))
    enps_tallies: dict = {}
    for question in questions:
        if question.kind == HealthQuestionKind.COMMENT:
            continue
        tallies = {key: t for key, t in figures.by_question.get(question.pk, {}).items()
                   if key in keys}
        if question.kind == HealthQuestionKind.ENPS:
            enps_tallies = tallies
            continue
        reasons = per_measure(tallies)
        for key in keys:
            tally = tallies.get(key, Tally())
            if question.dimension:
                dimension_tallies[question.dimension][key].add(tally)
                # Everyone who answered the dimension answered at least its most answered
                # question: a conservative (never larger) count of its respondents.
                dimension_counts[question.dimension][key] = max(
                    dimension_counts[question.dimension][key], tally.answers)
            n = tally.answers
            row(key, question_measure(question.pk), reasons[key] or ("" if n else rules.SMALL),
                respondents=n, favourable=100 * tally.favourable / n if n else None,
                mean=tally.value_sum / n if n else None)

    dimension_scores: dict = defaultdict(dict)
    for dimension in [d for d in health_content.DIMENSION_KEYS if d in dimension_tallies] + [
            d for d in dimension_tallies if d not in health_content.DIMENSION_KEYS]:
        tallies = dimension_tallies[dimension]
        reasons = _partition_reasons(dict(dimension_counts[dimension]), k, forced=base)
        for key in keys:
            tally = tallies[key]
            score = tally.points_sum / tally.answers if tally.answers else None
            if score is not None:
                dimension_scores[key][dimension] = score
            row(key, dimension_measure(dimension),
                reasons[key] or ("" if score is not None else rules.SMALL),
                respondents=dimension_counts[dimension][key],
                favourable=100 * tally.favourable / tally.answers if tally.answers else None,
                mean=tally.value_sum / tally.answers if tally.answers else None, value=score)

    for key in keys:
        scores = dimension_scores.get(key, {})
        row(key, INDEX, base[key] or ("" if scores else rules.SMALL),
            respondents=figures.respondents[key],
            value=sum(scores.values()) / len(scores) if scores else None)

    if enps_tallies or any(q.kind == HealthQuestionKind.ENPS for q in questions):
        reasons = per_measure(enps_tallies)
        for key in keys:
            tally = enps_tallies.get(key, Tally())
            n = tally.answers
            row(key, ENPS, reasons[key] or ("" if n else rules.SMALL), respondents=n,
                value=100 * (tally.promoters - tally.detractors) / n if n else None,
                mean=tally.value_sum / n if n else None)

    # Taking part is not an answer: the response rate is always shown.
    responded = figures.respondents.get((ScoreSlice.OVERALL, ""), 0)
    row((ScoreSlice.OVERALL, ""), RESPONSE_RATE, "", respondents=responded,
        value=100 * responded / survey.invited_count if survey.invited_count else None)
    return rows


def _insert(rows: list[tuple]) -> None:
    # Table and column names are the model's own constants; the values go as parameters.
    table, columns = SurveyScore._meta.db_table, ", ".join(COLUMNS)
    if connection.vendor != "postgresql":
        marks = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        return
    from psycopg2.extras import execute_values

    sql = f"INSERT INTO {table} ({columns}) VALUES %s"  # noqa: S608
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=5000)


def _last_interim_count(*, organization, survey) -> int:
    row = (SurveyScore.objects.for_org(organization)
           .filter(survey=survey, slice_kind=ScoreSlice.OVERALL, measure=RESPONSE_RATE,
                   is_final=False).first())
    return row.respondents or 0 if row else 0


@transaction.atomic
def survey_score(*, organization, survey: Survey, final: bool) -> bool:
    """Compute and store the survey's scores; returns whether new figures were published.

    Final: every slice, replacing whatever was there. Interim (open survey): the response rate
    only, and only once ``min_group_size`` new responses arrived since the last interim
    snapshot; otherwise the previous rows stay. Running it twice leaves the same rows.
    """
    survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
    questions = list(SurveyQuestion.objects.for_org(organization).filter(survey=survey)
                     .order_by("position", "pk"))
    existing = SurveyScore.objects.for_org(organization).filter(survey=survey)
    if not final:
        if existing.filter(is_final=True).exists():
            return False
        responded = SurveyResponse.objects.for_org(organization).filter(survey=survey).count()
        last = _last_interim_count(organization=organization, survey=survey)
        if responded < survey.min_group_size or responded - last < survey.min_group_size:
            return False
    figures = _aggregate(organization=organization, survey=survey, questions=questions)
    now = timezone.now()
    rows = score_rows(survey=survey, questions=questions, figures=figures, slices=final, now=now)
    if not final:
        rows = [r for r in rows if r[COLUMNS.index("measure")] == RESPONSE_RATE]
    existing.delete()
    _insert(rows)
    survey.scored_at = now
    survey.save(update_fields=["scored_at"])
    return True

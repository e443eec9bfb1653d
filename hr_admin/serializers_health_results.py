"""Serializers of a health-check survey's results: aggregated, suppressed figures only.

A hidden figure carries its reason ("small" or "complement") and no number, not even its count
of respondents.
"""

from rest_framework import serializers


class FigureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    favourable = serializers.FloatField(allow_null=True, help_text="% answering 4 or 5.")
    mean = serializers.FloatField(allow_null=True)
    respondents = serializers.IntegerField(allow_null=True)
    suppressed = serializers.CharField(help_text='"" when shown; "small" or "complement".')
    reason = serializers.CharField(help_text="Why it is hidden, in words.")


class DimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    figure = FigureSerializer()
    change = serializers.FloatField(allow_null=True, help_text="Against the previous survey.")


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.CharField()
    dimension = serializers.CharField()
    text = serializers.CharField()
    figure = FigureSerializer()


class HeatmapCellSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    team = serializers.CharField(help_text='A team id, or "none" for no team.')
    figure = FigureSerializer()


class HealthSliceSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='A team id, or "none" for no team.')
    name = serializers.CharField()
    index = FigureSerializer()


class TrendPointSerializer(serializers.Serializer):
    survey_id = serializers.IntegerField()
    title = serializers.CharField()
    index = serializers.FloatField()


class StrategySerializer(serializers.Serializer):
    dimension = serializers.CharField()
    key = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class SurveyResultsSerializer(serializers.Serializer):
    survey_id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    is_final = serializers.BooleanField(
        help_text="False while open: overall figures only, refreshed once enough new people "
                  "have answered.")
    min_group_size = serializers.IntegerField()
    response_rate = FigureSerializer()
    index = FigureSerializer()
    enps = FigureSerializer()
    index_change = serializers.FloatField(allow_null=True)
    enps_change = serializers.FloatField(allow_null=True)
    dimensions = DimensionSerializer(many=True)
    strongest = serializers.ListField(child=serializers.CharField())
    weakest = serializers.ListField(child=serializers.CharField())
    strategies = StrategySerializer(many=True, help_text="For each weak dimension.")
    teams = HealthSliceSerializer(
        many=True, help_text="The page of teams asked for (teams_page, teams_order, teams_q).")
    teams_answered = serializers.IntegerField(help_text="Teams with respondents.")
    teams_found = serializers.IntegerField(help_text="Of those, the teams matching teams_q.")
    teams_page = serializers.IntegerField()
    teams_pages = serializers.IntegerField()
    heatmap = HeatmapCellSerializer(many=True, help_text="The dimensions of the page's teams.")
    tenure = HealthSliceSerializer(many=True)
    questions = QuestionSerializer(many=True)
    previous_survey_id = serializers.IntegerField(allow_null=True)
    trend = TrendPointSerializer(many=True)
    comments = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="One page of comments (page), when shown.")
    comments_count = serializers.IntegerField()
    comments_pages = serializers.IntegerField()
    comments_hidden_reason = serializers.CharField()


def figure(f) -> dict:
    return {"value": f.value, "favourable": f.favourable, "mean": f.mean,
            "respondents": f.respondents, "suppressed": f.suppressed, "reason": str(f.reason)}


def results_data(results) -> dict:
    """The plain data of ``selectors.health_results.Results``."""
    survey = results.survey
    return {
        "survey_id": survey.pk, "title": survey.title, "status": survey.status,
        "is_final": results.is_final, "min_group_size": survey.min_group_size,
        "response_rate": figure(results.response_rate), "index": figure(results.index),
        "enps": figure(results.enps), "index_change": results.index_change,
        "enps_change": results.enps_change,
        "dimensions": [{"key": d["key"], "title": str(d["title"]), "figure": figure(d["figure"]),
                        "change": d.get("change")} for d in results.dimensions],
        "strongest": [d["key"] for d in results.strongest],
        "weakest": [d["key"] for d in results.weakest],
        "strategies": [{"dimension": d["key"], "key": s.key, "title": str(s.title),
                        "text": str(s.text)} for d in results.weak for s in d["strategies"]],
        "teams": [{"key": t["key"], "name": str(t["name"]), "index": figure(t["index"])}
                  for t in results.teams],
        "teams_answered": results.teams_answered, "teams_found": results.teams_found,
        "teams_page": results.teams_page, "teams_pages": results.teams_pages,
        "heatmap": [{"dimension": row["dimension"]["key"], "team": cell["team"]["key"],
                     "figure": figure(cell["figure"])}
                    for row in results.heatmap for cell in row["cells"]],
        "tenure": [{"key": b["key"], "name": str(b["name"]), "index": figure(b["index"])}
                   for b in results.tenure],
        "questions": [{"id": q["question"].pk, "key": q["question"].key,
                       "kind": q["question"].kind, "dimension": q["question"].dimension,
                       "text": str(q["text"]), "figure": figure(q["figure"])}
                      for q in results.questions],
        "previous_survey_id": results.previous.pk if results.previous else None,
        "trend": [{"survey_id": p["survey"].pk, "title": p["survey"].title, "index": p["index"]}
                  for p in results.trend],
        "comments": [{"question": str(c["question"]), "text": c["text"]}
                     for c in results.comments],
        "comments_count": results.comments_page.paginator.count if results.comments_page else 0,
        "comments_pages": (results.comments_page.paginator.num_pages if results.comments_page
                           else 0),
        "comments_hidden_reason": str(results.comments_hidden_reason),
    }

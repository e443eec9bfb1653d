"""Answer sets shared by the quick-check tests, with their scores worked out by hand."""

from hr_admin.health_content import QUESTIONS

# Per dimension, the three Likert answers. Points are (value - 1) * 25.
BY_DIMENSION = {
    "conversations": [5, 5, 5],   # 100
    "ownership": [4, 4, 4],       # 75
    "managers": [3, 3, 3],        # 50 (weak)
    "opportunities": [2, 2, 2],   # 25 (weak)
    "hr_tools": [1, 1, 1],        # 0 (weak)
    "leadership": [5, 5, 4],      # (100 + 100 + 75) / 3 = 91.67
    "recognition": [4, 4, 4],     # 75
    "skills": [3, 3, 3],          # 50 (weak)
}
# Index: (100 + 75 + 50 + 25 + 0 + 91.67 + 75 + 50) / 8 = 466.67 / 8 = 58.33 → "58".
INDEX_SHOWN = "58"
# Career eNPS with one answer of 9: one promoter out of one → +100.
ENPS_VALUE = 9
ENPS_SHOWN = "+100"
WEAK = ["hr_tools", "opportunities", "managers", "skills"]


def answers(**overrides) -> dict:
    data, seen = {}, {}
    for key, dimension, kind, _text in QUESTIONS:
        if kind == "likert":
            i = seen.setdefault(dimension, 0)
            data[key] = BY_DIMENSION[dimension][i]
            seen[dimension] = i + 1
    data["enps"] = ENPS_VALUE
    data.update(overrides)
    return data


def form_data(**overrides) -> dict:
    return {k: str(v) for k, v in answers(**overrides).items() if v is not None}

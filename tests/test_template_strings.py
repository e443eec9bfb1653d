"""Every piece of text a template shows goes through the translation machinery.

The templates are tokenised with Django's own lexer; text outside ``{% translate %}`` /
``{% blocktranslate %}`` is stripped of markup, template variables, entities and the attributes
that carry no words, and whatever letters remain are reported with the file and line. The
user-facing attributes (``title``, ``alt``, ``placeholder``, ``aria-label`` …) are checked too.
"""

import html
import re
from pathlib import Path

from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

# Words that are the same in every language Trellis speaks: names, formats, symbols.
UNTRANSLATED = {"Trellis", "CSV", "JSON", "API", "iCalendar", "ESCO", "OpenAPI", "TOTP", "URL",
                "ics", "eNPS", "HTML", "SSO", "Markdown", "PDF"}
WORDED_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description",
                     "aria-roledescription", "aria-valuetext", "data-confirm", "label",
                     "data-empty", "data-saving", "data-saved")
TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
ATTRIBUTE = re.compile(r"\s(" + "|".join(WORDED_ATTRIBUTES) + r""")\s*=\s*("([^"]*)"|'([^']*)')""",
                       re.I)
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


def _words(text: str) -> list[str]:
    text = html.unescape(re.sub(r"&[a-zA-Z]+;|&#\d+;", " ", text))
    return [w for w in WORD.findall(text) if w not in UNTRANSLATED]


def _blank(text: str, mark: str) -> str:
    """``text`` replaced by ``mark``, keeping its line breaks so that line numbers hold."""
    return mark + "\n" * text.count("\n")


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every piece of visible text outside the translation tags."""
    # depth: inside blocktranslate, a comment or a block that names CSS classes
    # (``{% block body_class %}is-public{% endblock %}``); blocks: the open {% block %} names.
    parts, depth, blocks = [], 0, []
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.BLOCK:
            bits = raw.split()
            name = bits[0] if bits else ""
            if name in {"blocktranslate", "blocktrans", "comment"}:
                depth += 1
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                depth -= 1
            elif name == "block":
                blocks.append(len(bits) > 1 and bits[1].endswith("class"))
                depth += blocks[-1]
            elif name == "endblock" and blocks:
                depth -= blocks.pop()
            parts.append(_blank(raw, " "))
        elif token.token_type == TokenType.TEXT and not depth:
            parts.append(raw)
        else:
            parts.append(_blank(raw, " "))
    text = "".join(parts)
    found = []
    for match in ATTRIBUTE.finditer(text):
        value = match.group(3) if match.group(3) is not None else match.group(4)
        if _words(value):
            found.append((text.count("\n", 0, match.start()) + 1,
                          f'{match.group(1)}="{value.strip()}"'))
    tagless = TAG.sub(_tagless, text)  # same line breaks as ``text``
    for match in re.finditer(r"[^<>]+", tagless):
        if _words(match.group(0)):
            found.append((tagless.count("\n", 0, match.start()) + 1,
                          " ".join(match.group(0).split())[:80]))
    return sorted(found)


def _tagless(match: re.Match) -> str:
    """A tag (or script, style, comment) becomes ``<>`` plus its line breaks."""
    return "<>" + "\n" * match.group(0).count("\n")


def template_files() -> list[Path]:
    files = []
    for directory in TEMPLATE_DIRS:
        files += [p for p in directory.rglob("*") if p.suffix in {".html", ".txt"}]
    return sorted(files)


def test_every_template_text_is_translatable():
    problems = []
    for path in template_files():
        for line, text in untranslated_text(path.read_text()):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert not problems, "Text outside {% translate %}:\n" + "\n".join(problems)


def test_the_check_finds_bare_text_and_bare_attributes():
    source = ('<p>{% translate "Fine" %}</p>\n<p>Not fine</p>\n'
              '<input placeholder="Search people">\n'
              '{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}\n'
              '<a title="{% translate "ok" %}" href="/x">{{ name }}</a>')
    assert [t for _, t in untranslated_text(source)] == ["Not fine",
                                                         'placeholder="Search people"']

"""Headings and labels start with a capital, in French too, even when their French text is
shared with a model's lower-case verbose name ("adresse MAC", "cartes SIM")."""

import re
from pathlib import Path

import polib

import regie

SOURCE = Path(regie.__file__).parent
HEADING_TRANSLATION = re.compile(
    r"<(th|h[1-6]|dt|legend|label|summary)\b[^>]*>\s*"
    r'\{% translate "([^"]+)"(?: context "([^"]+)")? %\}'
)


def _french():
    translations = {}
    for catalogue in SOURCE.glob("**/locale/fr/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(catalogue)):
            if entry.msgstr:
                translations[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return translations


def test_no_heading_reads_in_lower_case_in_french():
    french = _french()
    lower = []
    for template in SOURCE.glob("**/templates/**/*.html"):
        for match in HEADING_TRANSLATION.finditer(template.read_text()):
            text = french.get((match.group(3), match.group(2)), "")
            if text[:1].islower():
                lower.append(f"{template.relative_to(SOURCE)}: {match.group(2)} → {text}")
    assert lower == []


def test_shared_includes_capitalise_labels_from_verbose_names():
    for include, needle in (
        ("templates/includes/form_field.html", "field.label|capfirst"),
        ("templates/includes/list_results.html", "header.label|capfirst"),
        ("templates/includes/detail_fields.html", "field.label|capfirst"),
    ):
        assert needle in (SOURCE / include).read_text(), include

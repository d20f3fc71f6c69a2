"""The French catalogues are complete, and the compiled catalogues match their sources.

The project has one catalogue in ``regie/locale`` and apps may carry their own in
``regie/<app>/locale`` (``makemessages`` puts each string in the nearest one): all are checked.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

PROJECT_LOCALE = Path(settings.LOCALE_PATHS[0])
LOCALE_DIRS = [
    PROJECT_LOCALE,
    *sorted(path for path in PROJECT_LOCALE.parent.glob("**/locale") if path != PROJECT_LOCALE),
]
LANGUAGES = ["fr", "en"]
CATALOGUES = [
    pytest.param(locale_dir, language, id=f"{locale_dir.parent.name}-{language}")
    for locale_dir in LOCALE_DIRS
    for language in LANGUAGES
]


def _po(locale_dir, language):
    return polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))


def _mo(locale_dir, language):
    return polib.mofile(str(locale_dir / language / "LC_MESSAGES" / "django.mo"))


def _compiled(entry):
    """Whether msgfmt puts this .po entry in the .mo (the header is compared apart)."""
    if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
        return False
    return bool(entry.msgstr) or bool(entry.msgstr_plural and all(entry.msgstr_plural.values()))


def _entries(entries):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
        )
        for entry in entries
    }


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=lambda path: path.parent.name)
def test_french_catalogue_has_no_untranslated_or_fuzzy_entry(locale_dir):
    po = _po(locale_dir, "fr")
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


@pytest.mark.parametrize(("locale_dir", "language"), CATALOGUES)
def test_compiled_catalogue_matches_its_source(locale_dir, language):
    compiled = [entry for entry in _mo(locale_dir, language) if entry.msgid]
    source = [entry for entry in _po(locale_dir, language) if _compiled(entry)]
    assert _entries(compiled) == _entries(source)


def test_model_choice_labels_are_french_by_default():
    from regie.assets.models import AssetStatus

    assert str(AssetStatus.IN_SERVICE.label) == "En service"
    assert str(AssetStatus.LOST.label) == "Perdu ou volé"

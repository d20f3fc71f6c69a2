"""The template components: buttons by role, with the on-dark one kept to the header."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import regie
from regie.core.tests.html import ON_DARK_CLASSES, visible_text

SOURCE = Path(regie.__file__).parent
TEMPLATES = sorted(SOURCE.glob("**/templates/**/*.html")) + sorted(
    SOURCE.glob("**/templates/*.html")
)
CSS = SOURCE / "static" / "regie" / "regie.css"
ON_DARK = re.compile(r"\b(" + "|".join(sorted(ON_DARK_CLASSES)) + r")\b")


def test_on_dark_buttons_are_used_in_the_header_only():
    users = {}
    for template in set(TEMPLATES):
        text = template.read_text()
        if template.relative_to(SOURCE).as_posix() == "templates/base.html":
            # The header is the dark band: what follows it is white cards.
            text = text.split("</header>", 1)[1]
        if ON_DARK.search(text):
            users[str(template.relative_to(SOURCE))] = ON_DARK.findall(text)
    assert users == {}
    python_sources = [path for path in SOURCE.glob("**/*.py") if "tests" not in path.parts]
    assert [str(path) for path in python_sources if ON_DARK.search(path.read_text())] == []


def test_the_size_modifier_changes_no_colour():
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    rules = re.findall(r"([^{}]*\.button-compact\b[^{}]*)\{([^}]*)\}", css)
    assert rules, "no .button-compact rule"
    for _selector, body in rules:
        properties = {part.split(":")[0].strip() for part in body.split(";") if ":" in part}
        assert properties <= {"padding", "font-size"}


def test_each_role_has_its_button_class():
    css = CSS.read_text()
    for role in (".button", ".button-secondary", ".button-danger", ".button-on-dark"):
        assert re.search(re.escape(role) + r"[\s,{]", css), role


@pytest.mark.django_db
def test_empty_lists_say_what_to_do_next(client, technician):
    client.force_login(technician)
    url = reverse("assets:supplier-list")
    empty = visible_text(client.get(url).content.decode())
    assert "Rien n'est encore enregistré ici." in empty
    assert 'href="/fleet/suppliers/new/"' in client.get(url).content.decode().split("<main", 1)[1]
    searched = client.get(url, {"q": "introuvable"}).content.decode()
    assert "Aucun résultat pour ces critères." in visible_text(searched)
    assert "Effacer les filtres" in visible_text(searched)
    assert f'href="{url}"' in searched.split('id="results"', 1)[1]


def test_code_blocks_scroll_inside_themselves():
    # Long ping snippets made the whole check page scroll sideways.
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    assert re.search(r"(^|\n)pre \{[^}]*overflow-x: auto", css)

"""Detail pages list chosen fields, never a dump of the model's columns."""

from regie import urls  # noqa: F401  # imports every app's views
from regie.core.crud import CrudDetailView


def _detail_views(cls=CrudDetailView):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _detail_views(subclass)


def test_every_detail_page_chooses_its_fields():
    views = [view for view in _detail_views() if hasattr(view, "model")]
    assert len(views) > 20
    unchosen = [view.__qualname__ for view in views if not getattr(view, "detail_fields", ())]
    assert unchosen == []


def test_no_detail_page_shows_internal_fields():
    internal = {"id", "created_at", "updated_at", "rate_minute", "rate_count", "ping_uuid"}
    internal |= {"secret", "pin_encrypted", "puk_encrypted", "locked_fields", "outage_flip"}
    shown = {
        view.__qualname__: internal
        & {spec if isinstance(spec, str) else spec[0] for spec in view.detail_fields}
        for view in _detail_views()
        if hasattr(view, "model")
    }
    assert {name: fields for name, fields in shown.items() if fields} == {}

"""Reading the round out of the HTML, as a person would: sections, open and acknowledged."""

from lxml import html  # type: ignore[import-untyped]  # lxml ships no type stubs


def parse(response):
    return html.fromstring(response.content.decode())


def section_ids(response):
    return parse(response).xpath("//section[contains(@class, 'round-section')]/@id")


def open_keys(response, source):
    return parse(response).xpath(
        f"//section[@id='section-{source}']/ul[@class='round-items']/li/@data-item-key"
    )


def acknowledged_keys(response, source):
    return parse(response).xpath(
        f"//section[@id='section-{source}']/details[@class='acknowledged']//li/@data-item-key"
    )


def ack_forms(response):
    return parse(response).xpath("//form[contains(@class, 'ack-form')]")

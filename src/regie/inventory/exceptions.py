"""Errors raised while reading an agent's message.

The receiver answers both with a 4xx in the protocol's error form and counts them; the
message (``str(error)``) is written for the person reading the inventory activity page.
"""


class MalformedReport(ValueError):
    """The body is not a message of the expected protocol, or misses a mandatory part."""


class HostileInput(MalformedReport):
    """The body tries something no agent ever sends: entities, a DTD, absurd nesting."""

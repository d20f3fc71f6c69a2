"""Who sees the continuity page and who declares the plan.

The page is the territory's crisis view: administrators, technicians and readers see all of
it. Correspondents and staff get a 403: the sections mix every site's people, lines and
machines, and the kit holds phone numbers. Only administrators declare and end the plan and
edit the message; the kit (phone numbers, access notes) is for the IT team (administrators
and technicians).
"""

from __future__ import annotations

from regie.continuity.models import Activation, MessageTemplate
from regie.core.permissions import AnyUser, Policy, is_admin, manages, reads_everything, register


class ActivationPolicy(Policy[Activation]):
    """Reference-data rule (wide readers see, nobody else); only administrators write."""

    model = Activation

    def can_create(self, user: AnyUser | None) -> bool:
        return is_admin(user)

    def can_change(self, user: AnyUser | None, obj: Activation) -> bool:
        return is_admin(user)

    def can_delete(self, user: AnyUser | None, obj: Activation) -> bool:
        return False  # the record is kept


class MessageTemplatePolicy(Policy[MessageTemplate]):
    model = MessageTemplate

    def can_create(self, user: AnyUser | None) -> bool:
        return is_admin(user)

    def can_change(self, user: AnyUser | None, obj: MessageTemplate) -> bool:
        return is_admin(user)

    def can_delete(self, user: AnyUser | None, obj: MessageTemplate) -> bool:
        return False


def can_see_page(user: AnyUser | None) -> bool:
    return reads_everything(user)


def can_declare(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_download_kit(user: AnyUser | None) -> bool:
    return manages(user)


activation_policy = register(ActivationPolicy())
message_template_policy = register(MessageTemplatePolicy())

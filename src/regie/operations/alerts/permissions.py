"""Access to the alerts.

Channels: administrators manage them; technicians and readers read them (the full webhook
URL and the signing secret are for administrators only); correspondents and staff see
nothing. Deliveries: the IT team and readers read the log; administrators and technicians
retry a failed delivery and send test alerts; nobody writes a delivery by hand.
"""

from __future__ import annotations

from typing import Any

from regie.core.permissions import AnyUser, Policy, is_admin, manages, register
from regie.operations.alerts.models import Channel, Delivery


class ChannelPolicy(Policy[Channel]):
    model = Channel

    def can_create(self, user: AnyUser | None) -> bool:
        return is_admin(user)

    def can_change(self, user: AnyUser | None, obj: Channel) -> bool:
        return is_admin(user)

    def can_delete(self, user: AnyUser | None, obj: Channel) -> bool:
        return is_admin(user)

    def can_test(self, user: AnyUser | None) -> bool:
        return manages(user)

    def sees_secrets(self, user: AnyUser | None) -> bool:
        return is_admin(user)


class DeliveryPolicy(Policy[Delivery]):
    model = Delivery

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: Any) -> bool:
        """Retrying a failed delivery."""
        return manages(user)

    def can_delete(self, user: AnyUser | None, obj: Any) -> bool:
        return False


channel_policy = ChannelPolicy()
delivery_policy = DeliveryPolicy()
register(channel_policy)
register(delivery_policy)

"""The inventory's HTTP side: the agents' endpoint (``receive``) and the people's pages."""

from regie.inventory.views.receive import receive

__all__ = ["receive"]

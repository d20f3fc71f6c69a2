"""The paths agents post to (protocols.md §3.1); ``/`` is routed in ``regie.home``."""

from django.urls import re_path

from regie.inventory.views import receive

app_name = "inventory"

urlpatterns = [
    re_path(
        r"^(?:ocsinventory|Inventory|front/inventory\.php|marketplace/glpiinventory"
        r"|plugins/glpiinventory|plugins/fusioninventory)/?$",
        receive,
        name="receive",
    ),
]

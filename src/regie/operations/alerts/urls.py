from django.urls import URLPattern, path

from regie.core.crud import crud_urls
from regie.operations.alerts import views

app_name = "alerts"
urlpatterns: list[URLPattern] = [
    *crud_urls(
        "channel",
        list_view=views.ChannelListView,
        detail_view=views.ChannelDetailView,
        form_view=views.ChannelFormView,
        delete_view=views.ChannelDeleteView,
        prefix="channels/",
    ),
    path("channels/<int:pk>/test/", views.test_channel, name="channel-test"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery-list"),
    path("deliveries/<int:pk>/retry/", views.retry_delivery, name="delivery-retry"),
    path("deliveries/mails/<int:pk>/retry/", views.retry_mail, name="mail-retry"),
]

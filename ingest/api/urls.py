from django.urls import URLPattern, URLResolver, path

from .views import ArticlePushView, FeedDocumentPushView

app_name = "ingest"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/articles", ArticlePushView.as_view(), name="push-articles"),
    path("<slug:slug>/rss", FeedDocumentPushView.as_view(), name="push-feed-document"),
]

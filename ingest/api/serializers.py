"""Shapes of the push endpoints, for the OpenAPI schema.

Validation itself happens in `ingest.payloads` on the raw signed bytes (a serializer would
parse the body before the signature is checked); these describe the same fields.
"""

from rest_framework import serializers


class PushedArticleSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=300)
    url = serializers.URLField(max_length=2000)
    title = serializers.CharField(max_length=1000)
    body = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True, help_text="null if unknown")
    outlet = serializers.CharField(max_length=200, required=False)
    language = serializers.CharField(max_length=12, required=False)
    updated_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="the version of this article at the feed: an update older than the stored "
        "version is refused (409)",
    )
    sequence = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2**63 - 1,
        help_text="or the feed's own increasing version number, compared before updated_at",
    )


class PushResultSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="every article")
    created = serializers.ListField(child=serializers.IntegerField())
    updated = serializers.ListField(
        child=serializers.IntegerField(), help_text="same external id, new text: classified again"
    )
    duplicates = serializers.ListField(child=serializers.IntegerField())


class PushErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="what is wrong, naming the field")
    detail = serializers.JSONField()
    status = serializers.IntegerField()

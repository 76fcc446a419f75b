"""A feed operator's first push, complete: in curl (with openssl) and in Python.

`create_feed` prints these with the new secret, the feed's admin page shows them with a
placeholder (the secret is never shown twice), and the README carries the same text;
the tests run both against a live server.
"""

from __future__ import annotations

import json

SECRET_PLACEHOLDER = "<the feed secret>"
SAMPLE_ARTICLE = {
    "external_id": "story-1",
    "url": "https://news.example/world/story-1",
    "title": "Troops withdraw from the border town",
    "body": "The army withdrew 300 troops from the border town on Monday, officials said.",
    "published_at": "2024-03-04T09:00:00Z",
    "updated_at": "2024-03-04T09:00:00Z",
}


def push_path(slug: str) -> str:
    return f"/api/ingest/{slug}/articles"


def push_url(base_url: str, slug: str) -> str:
    return base_url.rstrip("/") + push_path(slug)


def curl_example(*, url: str, secret: str = SECRET_PLACEHOLDER) -> str:
    body = json.dumps(SAMPLE_ARTICLE)
    return f"""SECRET='{secret}'
BODY='{body}'
T=$(date +%s)
SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
curl -sS -X POST '{url}' \\
  -H 'Content-Type: application/json' \\
  -H "X-Signature: t=$T,v1=$SIG" \\
  -H "X-Delivery-Id: $(openssl rand -hex 16)" \\
  --data-binary "$BODY"
"""


def python_example(*, url: str, secret: str = SECRET_PLACEHOLDER) -> str:
    # Laid out as ruff formats it, since ruff also formats the README's code blocks.
    fields = "".join(f"    {json.dumps(k)}: {json.dumps(v)},\n" for k, v in SAMPLE_ARTICLE.items())
    return f"""import hashlib, hmac, json, time, urllib.error, urllib.request, uuid

URL = "{url}"
SECRET = "{secret}"
article = {{
{fields}}}

body = json.dumps(article).encode()
t = str(int(time.time()))
v1 = hmac.new(SECRET.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
request = urllib.request.Request(
    URL,
    data=body,
    method="POST",
    headers={{
        "Content-Type": "application/json",
        "X-Signature": f"t={{t}},v1={{v1}}",
        "X-Delivery-Id": str(uuid.uuid4()),  # optional: the same id again is a replay (409)
    }},
)
try:
    with urllib.request.urlopen(request) as response:
        print(response.status, response.read().decode())
except urllib.error.HTTPError as error:
    print(error.code, error.read().decode())
"""

"""The first push as a feed operator makes it: the README's curl and Python examples and
what `create_feed` prints, run as they are written against a live server."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ingest.models import Article, Feed
from ingest.push_example import SECRET_PLACEHOLDER, curl_example, python_example

pytestmark = pytest.mark.django_db(transaction=True)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
README_URL = "http://127.0.0.1:8000/api/ingest/wire/articles"


def test_the_readme_carries_both_examples_as_the_code_prints_them() -> None:
    assert curl_example(url=README_URL) in README
    assert python_example(url=README_URL) in README
    for answer in ("202", "200", "401", "409", "400", "404", "413", "415", "429"):
        assert f"| {answer} |" in README, answer
    # As printed, before anyone fills in the secret, both parse.
    shell = subprocess.run(["bash", "-n", "-c", curl_example(url=README_URL)], check=False)
    assert shell.returncode == 0
    compile(python_example(url=README_URL), "README", "exec")


def _run_readme_example(kind: str, url: str, secret: str) -> str:
    text = curl_example(url=README_URL) if kind == "curl" else python_example(url=README_URL)
    text = text.replace(README_URL, url).replace(SECRET_PLACEHOLDER, secret)
    command = ["bash", "-c", text] if kind == "curl" else [sys.executable, "-c", text]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("kind", ["curl", "python"])
def test_the_readme_example_pushes_an_article(live_server: Any, kind: str) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")
    url = f"{live_server.url}/api/ingest/wire/articles"
    output = _run_readme_example(kind, url, feed.secret)
    if kind == "python":
        status, _, body = output.partition(" ")
        assert status == "202", output
    else:
        body = output
    assert json.loads(body)["created"] == [Article.objects.get(feed=feed).pk]
    # Run again: a new delivery id and timestamp, the same article: a duplicate, not a 4xx.
    again = _run_readme_example(kind, url, feed.secret)
    assert '"duplicates":[' in again.replace(" ", "") and Article.objects.count() == 1


def test_create_feed_prints_the_push_url_and_a_working_example(live_server: Any) -> None:
    out = StringIO()
    call_command("create_feed", "agency", "--base-url", live_server.url, stdout=out)
    printed = out.getvalue()
    secret = printed.splitlines()[0]
    url = f"{live_server.url}/api/ingest/agency/articles"
    assert f"Push URL: {url}" in printed
    assert "202" in printed and "409" in printed
    python_part = printed.split("# Python\n", 1)[1]
    assert python_part.strip() == python_example(url=url, secret=secret).strip()
    done = subprocess.run(
        [sys.executable, "-c", python_part], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.startswith("202 "), done.stdout + done.stderr
    assert Article.objects.filter(feed__slug="agency").count() == 1


def test_create_feed_refuses_a_bad_base_url() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="base-url"):
        call_command("create_feed", "agency", "--base-url", "ftp://x", stdout=StringIO())
    assert not Feed.objects.exists()

"""`manage.py extract` and `manage.py evaluate` as the contract describes them."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.evaluation.scoring import score

from .helpers import registry

# the commands read the registry from the tables (loaded by migration 0002)
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "data" / "seeds_gold.jsonl"


def run_extract(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_folder_with_manifest_gives_json_lines_only_on_stdout():
    out, err = run_extract(str(SEEDS))
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and all(set(line) >= {"article", "type", "actor", "evidence"} for line in lines)
    assert {line["article"] for line in lines} >= {"002_3a4d6e7c6f64c596"}
    assert "5 articles" in err
    # the manifest dates the seeds: "on Tuesday" in 002 is 2019-12-31
    dated = [line["occurred_on"] for line in lines if line["article"].startswith("002")]
    assert "2019-12-31" in dated


def test_text_file_with_published_date_and_jsonl_input(tmp_path: Path):
    article = tmp_path / "raid_1.txt"
    article.write_text("\nRaid\nJordanian jets struck ISIS positions on Sunday.\n")
    out, _ = run_extract("--published", "2024-03-06", str(article))
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert (event["article"], event["actor"], event["occurred_on"]) == (
        "raid_1",
        "JOR",
        "2024-03-03",
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps(
            {
                "id": "a1",
                "title": "Raid",
                "body": "Jordanian jets struck ISIS positions on Sunday.",
                "published_at": "2024-03-06T08:00:00Z",
            }
        )
        + "\n"
    )
    out, _ = run_extract("--input-format", "jsonl", str(feed))
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert (event["article"], event["occurred_on"]) == ("a1", "2024-03-03")


def test_bad_path_and_bad_date_fail_with_one_line(tmp_path: Path):
    with pytest.raises(CommandError, match="no such file"):
        run_extract(str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="not a date"):
        run_extract("--published", "06/03/2024", str(SEEDS))
    proc = subprocess.run(
        [sys.executable, "manage.py", "extract", str(tmp_path / "missing")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1


def test_evaluate_prints_the_scorer_figures():
    out = io.StringIO()
    call_command("evaluate", str(GOLD), str(SEEDS), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("precision=") and "F1=" in lines[-1]
    assert any(line.startswith("attr target:") for line in lines)
    # the same figures as scoring the extract command's output
    extracted, _ = run_extract(str(SEEDS))
    gold = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    pred = [json.loads(line) for line in extracted.splitlines()]
    assert lines == score(gold, pred, registry()).report()


def test_evaluate_tables_split_the_score_by_type_and_region():
    out = io.StringIO()
    call_command("evaluate", str(GOLD), str(SEEDS), "--tables", stdout=out)
    lines = out.getvalue().splitlines()
    by_type = lines[lines.index("by type:") + 2 : lines.index("by region:")]
    rows = {line.split()[0]: [int(x) for x in line.split()[1:5]] for line in by_type}
    total = next(line for line in lines if line.startswith("tp="))
    tp = int(total.split()[0].removeprefix("tp="))
    # every matched gold event counts under one of its types at least once
    assert sum(r[1] for r in rows.values()) >= tp > 0
    assert {"attack", "deploy", "withdraw"} <= set(rows)
    gold_events = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    attacks = sum(1 for g in gold_events if "attack" in g["type"] and not g.get("optional"))
    assert rows["attack"][0] == attacks


def test_a_dateline_in_the_text_wins_over_published(tmp_path: Path):
    article = tmp_path / "dated.txt"
    article.write_text(
        "Raid\nBreaking\nJuly 21, 2024\n\nMarch 4, 2024\n"
        "Jordanian jets struck ISIS positions on Sunday.\n"
    )
    out, _ = run_extract("--published", "2024-05-01", str(article))
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert event["occurred_on"] == "2024-03-03"

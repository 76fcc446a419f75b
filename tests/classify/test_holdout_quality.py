"""The quality bar on the held-out set (tests/classify/data/holdout): eight articles of
new stories and outlets (wire, regional, roundup, liveblog, scraped, machine-written),
with gold read by hand and committed before the classifier ever ran on them. It scored
F1 0.747 untuned and 0.963 after general fixes; the bar is that figure minus a margin,
so a change that helps the seeds or the dev set by hurting unseen text fails here. (Once
tuned on, it is a development set too: a new unseen set is the next honest measure.)"""

from pathlib import Path

from ingest.evaluation.evaluation import evaluate_paths

from .helpers import registry

HOLDOUT = Path(__file__).resolve().parent / "data" / "holdout"


def test_holdout_set_f1_and_attribute_accuracy_stay_at_the_level_reached():
    result = evaluate_paths(HOLDOUT / "gold.jsonl", [HOLDOUT], registry=registry())
    assert result.f1 >= 0.93, result.report(verbose=True)
    assert (result.accuracy("status") or 0) >= 0.95, result.report()
    assert (result.accuracy("target") or 0) >= 0.55, result.report()


UNSEEN2 = Path(__file__).resolve().parent / "data" / "unseen2"


def test_second_unseen_set_stays_at_the_level_reached():
    """Four more articles, measured once untuned (0.807 before the holdout fixes, 0.821
    after them), then fixed for their general causes (1.000): the bar keeps a margin."""
    result = evaluate_paths(UNSEEN2 / "gold.jsonl", [UNSEEN2], registry=registry())
    assert result.f1 >= 0.93, result.report(verbose=True)
    assert (result.accuracy("status") or 0) >= 0.95, result.report()

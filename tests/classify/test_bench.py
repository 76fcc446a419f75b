import io

from bench import classify as classify_bench


def test_bench_prints_articles_and_sentences_per_second():
    out = io.StringIO()
    classify_bench.run(out, seconds=None, size=10)
    text = out.getvalue()
    assert "10 articles" in text
    assert "articles/s:" in text and "sentences/s:" in text


def test_workload_varies_the_seeds():
    import random

    articles = classify_bench.workload(12, random.Random(1))
    assert len({a.id for a in articles}) == 12
    assert len({a.body for a in articles}) > 5

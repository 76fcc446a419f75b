"""Measuring the classifier: run it over articles and score its events against a gold
file, exactly as ../shared/tools/score_extraction.py scores them. Not a classifier stage:
it reads ingest.classify, never the other way round."""

"""Errors the ingest services raise and the tasks must recognise without importing them."""


class ArticleNotFound(LookupError):
    """The article a task names is not (or no longer) stored: retrying cannot help."""

"""Errors the ingest services raise and the tasks must recognise without importing them."""


class ArticleNotFound(LookupError):
    """The article a task names is not (or no longer) stored: retrying cannot help."""


class StaleContent(ValueError):
    """An update older than the stored version of the article: content only moves forward."""


class ReplayedDelivery(ValueError):
    """An `X-Delivery-Id` this feed already sent inside the signature's tolerance window."""

"""Bulk exports of the incidents: an ACLED-like CSV, PLOVER JSON Lines and GeoJSON.

`source` walks the incidents a filter selects in the API's order, a chunk at a time;
`rows` turns each into the export's flat row (with the registry's kinds, admin1 and
geo precision); `formats` writes the rows out as text chunks. The API views
(events.api.export_views) and `manage.py export` stream those chunks.
"""

"""The read-only JSON API at ``/api/``: routes, response schemas and the rate limit."""

"""The JSON HTTP API: a WSGI app (``tally.api.app.App``) served by ``tally.api.server``."""

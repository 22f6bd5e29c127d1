"""The ``tally`` command line."""

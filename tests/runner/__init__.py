"""The test runner's parts (tests/run.py is its command line): which tests a
leg has (items), the worker processes that run them (worker), the pool that
hands them out and watches the clock (pool), the Wine prefix each worker
gets (prefixes) and the counts a leg records and must reach (tally)."""

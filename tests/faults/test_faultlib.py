"""The fault suite's leak judgement itself: it must stop on a heap that
takes a step and then holds, on a parked pool that fills or drains, and keep
going on memory or handles that grow every round, however little."""
import faultlib
from faultlib import PRIVATE_SLACK, Stats

KIB = 1 << 10
MIB = 1 << 20


def _rounds(*rows):
    """Stats for (private, parked) or (private, parked, handles) rows; the
    handles default to the idle 29 plus one event per parked thread."""
    class Match:
        def __init__(self, private, parked, handles=None):
            handles = 29 + parked if handles is None else handles
            self.values = ("67", str(handles), str(private), "0", str(parked))

        def groups(self):
            return self.values

    return [Stats(Match(*row)) for row in rows]


def test_a_heap_step_then_a_steady_round_has_stopped_growing():
    after = _rounds((217 * MIB, 64), (217 * MIB, 64))
    assert faultlib._stopped_growing(after)
    after += _rounds((259 * MIB, 64))  # seen in CI: one step of 42 MB
    assert not faultlib._stopped_growing(after)
    after += _rounds((259 * MIB + 64 * KIB, 64))
    assert faultlib._stopped_growing(after)


def test_a_small_leak_per_connection_never_stops_growing():
    # 4 KiB for each of the 1,000 connections of a round.
    after = _rounds((230 * MIB, 64))
    for i in range(1, faultlib.MAX_ROUNDS):
        after += _rounds((230 * MIB + i * 4000 * KIB, 64))
        assert not faultlib._stopped_growing(after)


def test_noise_within_the_slack_is_not_a_leak_and_more_is():
    assert faultlib._stopped_growing(_rounds((230 * MIB, 64), (230 * MIB + PRIVATE_SLACK, 64)))
    assert not faultlib._stopped_growing(
        _rounds((230 * MIB, 64), (230 * MIB + PRIVATE_SLACK + 1, 64)))


def test_one_handle_a_round_never_stops_growing():
    after = _rounds((13 * MIB, 1, 30))
    for i in range(1, faultlib.MAX_ROUNDS):
        after += _rounds((13 * MIB, 1, 30 + i))
        assert not faultlib._stopped_growing(after)


def test_a_growing_parked_pool_is_judged_once_it_holds_or_drains():
    after = _rounds((92 * MIB, 37), (120 * MIB, 50))  # CI: 13 more stacks
    assert not faultlib._stopped_growing(after)
    after += _rounds((120 * MIB, 50))
    assert faultlib._stopped_growing(after)
    after += _rounds((110 * MIB, 45))  # five parked threads timed out
    assert faultlib._stopped_growing(after)

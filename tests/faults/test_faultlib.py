"""The fault suite's leak judgement itself: it must stop on a heap that
takes a step and then holds, and keep going on one that grows every round."""
import faultlib
from faultlib import PRIVATE_SLACK, Stats

MIB = 1 << 20


def _rounds(*pairs):
    class Match:
        def __init__(self, private, parked):
            self.values = ("67", "93", str(private), "0", str(parked))

        def groups(self):
            return self.values

    return [Stats(Match(private, parked)) for private, parked in pairs]


def test_a_heap_step_then_a_steady_round_has_stopped_growing():
    after = _rounds((220 * MIB, 64), (222 * MIB, 64), (248 * MIB, 64))
    assert not faultlib._stopped_growing(after)
    after += _rounds((248 * MIB, 64))
    assert faultlib._stopped_growing(after)


def test_a_leak_of_more_than_the_slack_per_round_never_stops_growing():
    step = PRIVATE_SLACK + MIB
    after = _rounds((100 * MIB, 64))
    for i in range(1, 6):
        after += _rounds((100 * MIB + i * step, 64))
        assert not faultlib._stopped_growing(after)


def test_a_growing_parked_pool_is_not_judged_until_it_holds():
    after = _rounds((92 * MIB, 37), (92 * MIB, 50))
    assert not faultlib._stopped_growing(after)
    after += _rounds((120 * MIB, 50))
    assert not faultlib._stopped_growing(after)  # the step is over the slack
    after += _rounds((120 * MIB, 50))
    assert faultlib._stopped_growing(after)

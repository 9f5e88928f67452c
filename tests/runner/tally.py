"""The counts: what a leg records in build/legs.txt, the floor each leg
must reach, and the closing line that adds the legs up.

A floor is the fewest results (passed + failed + skipped, a unit-test
program counting as many as it reports) a full run of the leg may give:
a leg that ran nothing, or lost tests without anyone saying so (a module
that failed to import, a folder no longer found), fails. floors.txt
holds them; raise a floor when tests are added, lower it only with the
commit that removes tests on purpose.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FLOORS = os.path.join(HERE, "floors.txt")


def floor(leg):
    """The leg's floor, or None when floors.txt names no such leg."""
    with open(FLOORS, encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) == 2 and words[0] == leg:
                return int(words[1])
    return None


def line(passed, failed, skipped):
    text = "%d passed, %d failed" % (passed, failed)
    return text + (", %d skipped" % skipped if skipped else "")


def record(path, leg, passed, failed, skipped):
    with open(path, "a", encoding="utf-8") as f:
        f.write("%s %d %d %d\n" % (leg, passed, failed, skipped))


def add_up(path, legs):
    """Each leg's line as recorded, then the total; a leg that recorded
    nothing (it stopped before its summary) counts as one failure."""
    found = {}
    if os.path.exists(path):
        for text in open(path, encoding="utf-8"):
            name, passed, failed, skipped = text.split()
            found[name] = (int(passed), int(failed), int(skipped))
    total = [0, 0, 0]
    for leg in legs:
        counts = found.get(leg, (0, 1, 0))
        note = "" if leg in found else " (no result: the leg did not finish)"
        print("leg %s: %s%s" % (leg, line(*counts), note))
        total = [a + b for a, b in zip(total, counts)]
    print(line(*total))
    return 0 if total[1] == 0 else 1

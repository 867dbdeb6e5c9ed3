"""The console matching every integration test relies on (conftest.Machine), on canned output
without QEMU: a line matched once is never matched again, later waits start after it, tick
patterns are anchored, a line still arriving never matches."""
import pytest

from conftest import Machine, count_ticks, tick_line


class Canned(Machine):
    """A Machine whose console is `chunks`, one per read, then EOF."""

    def __init__(self, *chunks):  # pylint: disable=super-init-not-called
        self.log, self._text, self._joined = [], "", 0
        self.cursor = self.floor = 0
        self.used, self.eof = [], False
        self.chunks = list(chunks)

    def read(self, timeout):
        if self.chunks:
            self.log.append(self.chunks.pop(0))
        else:
            self.eof = True
        return not self.eof

    def stderr(self):
        return ""


def fails(wait, *args):
    with pytest.raises(pytest.fail.Exception):
        wait(*args, timeout=1)


def test_tick_3_is_not_tick_30():
    m = Canned("[a] vcpu0 tick 30\r\n[a] vcpu0 tick 31\r\n")
    fails(m.seen, r"\[a\] vcpu0 tick 3")
    m = Canned("[a] vcpu0 tick 30\r\n[a] vcpu0 tick 3\r\n")
    assert m.expect(r"\[a\] vcpu0 tick 3").start() == len("[a] vcpu0 tick 30\r\n")
    assert count_ticks("[a] vcpu0 tick 1\r\n[a] vcpu0 tick 2", "a", 0) == 1  # whole lines only


def test_a_line_still_arriving_never_matches():
    # "tick 3" of "tick 30" while the 0 is still on its way.
    m = Canned("[a] vcpu0 tick 3", "0\r\n[a] vcpu0 tick 3\r\n")
    m.expect(tick_line("a", 0, 3))
    assert m.output().count("tick 3") == 2 and m.cursor == len(m.output())


def test_waits_after_seen_start_after_its_line():
    m = Canned("[a] vcpu0 tick 1\r\n[a] vcpu0 tick 2\r\n[b] stopped: fault\r\n",
               "[a] vcpu0 tick 3\r\n[a] vcpu0 tick 4\r\n[b] late\r\n")
    m.seen(r"stopped: fault")
    # The ticks before the stop line do not count as "still running".
    assert m.wait_ticks("a", 0, 2) == 4
    fails(m.ticks, "a", 0)


def test_wait_ticks_needs_consecutive_ticks_past_all_read():
    m = Canned("[b] x\r\n[a] vcpu0 tick 1\r\n[a] vcpu0 tick 2\r\n[a] vcpu0 tick 3\r\n")
    m.expect(r"\[b\] x")
    m.read(0)  # everything read: n past tick 3 is needed, and the console ends first
    fails(m.wait_ticks, "a", 0, 1)
    m = Canned("[a] vcpu0 tick 1\r\n[a] vcpu0 tick 3\r\n")
    with pytest.raises(AssertionError):
        m.wait_ticks("a", 0, 2)


def test_a_matched_line_is_never_matched_again():
    m = Canned("[b] stopped: fault\r\n[a] one\r\n")
    m.seen(r"stopped: fault")
    fails(m.seen, r"stopped: fault")
    m = Canned("[a] guest app up on vcpu0\r\n")
    m.seen(r"guest app up")
    fails(m.seen, r"on vcpu0")  # another part of the same line


def test_seen_is_order_free_since_the_last_expect():
    m = Canned("[a] one\r\n[b] two\r\n[a] three\r\n[c] four\r\n")
    m.seen("three")
    m.seen("two")
    m.seen("one")
    fails(m.expect, "two")  # after "three", the furthest match
    m.expect("four")
    m = Canned("[a] one\r\n[b] two\r\n[a] three\r\n")
    m.expect("two")
    fails(m.seen, "one")  # before the last expect
    m = Canned("[a] vcpu1 tick 1\r\n[a] vcpu0 tick 1\r\n[b] x\r\n")
    m.expect(r"\[b\] x")
    m.tick_reached("a", 1, 1)  # a vCPU's tick wherever it came


def test_alternatives_and_leading_flags_keep_the_boundary():
    m = Canned("x\r\nuart rx: hello\r\n[a] vcpu0 tick 12\r\n")
    assert m.expect(r"(?m)^uart rx: hello").group(0) == "uart rx: hello"
    fails(m.expect, r"nothing|\[a\] vcpu0 tick 1")

"""`kill -USR1 <pid>` prints what every greenthread of a service is doing, to its log (stderr).

A green process that stops answering shows nothing in a thread dump (py-spy, faulthandler: one OS
thread, the hub's); this walks the live greenlets instead, so an operator (or the reliability
proof, when a command went unanswered) can see which call each worker is waiting in.
"""

import gc
import signal
import sys
import traceback


def greenlet_stacks():
    """One block of text per suspended greenlet: its frames, innermost last."""
    try:
        from greenlet import greenlet
    except ImportError:
        return []
    blocks = []
    for obj in gc.get_objects():
        try:
            suspended = isinstance(obj, greenlet) and obj.gr_frame is not None
        except ReferenceError:  # a weak proxy whose object is gone: isinstance asks it its class
            continue
        if suspended:
            blocks.append("".join(traceback.format_stack(obj.gr_frame)))
    return blocks


def dump(signum=None, frame=None, out=None):
    out = out or sys.stderr
    blocks = greenlet_stacks()
    out.write(f"--- stack dump: {len(blocks)} suspended greenlets ---\n")
    for index, block in enumerate(blocks):
        out.write(f"--- greenlet {index} ---\n{block}")
    if frame is not None:
        out.write(f"--- interrupted frame ---\n{''.join(traceback.format_stack(frame))}")
    out.write("--- end of stack dump ---\n")
    out.flush()


def install():
    signal.signal(signal.SIGUSR1, dump)

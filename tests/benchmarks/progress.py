"""The bench's progress lines, on stderr (the table goes to stdout)."""

import sys
import time


def say(text):
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

#!/usr/bin/env python3
"""Prints the Swift Testing tests a `swift test` log shows as started but never finished, one a line.

When the test process dies (a signal, an abort), Swift Testing prints no closing line and `swift test`
says only that it exited: the tests still running at that moment are where the crash happened.
Usage: scripts/unfinished_tests.py LOG
"""
import re
import sys

started, finished = [], set()
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        line = line.rstrip("\n")
        match = re.match(r"^◇ Test (.+) started\.$", line)
        if match:
            name = match.group(1)
            # The run itself, and the cases of a parameterized test (their test's line closes them).
            if name != "run" and not name.startswith("case passing"):
                started.append(name)
            continue
        match = re.match(r"^[✔✘] Test (.+?)(?: with \d+ test cases?)? (?:passed|failed) after ", line)
        if match:
            finished.add(match.group(1))
for name in dict.fromkeys(started):
    if name not in finished:
        print(name)

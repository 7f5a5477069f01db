#!/usr/bin/python3
"""Adds up the unit (cmocka logs), system (pytest junit xml) and whole-step results.

Usage: summary.py RESULTS_DIR [FAILED_STEP ...]. Prints per-suite counts and ends
with "N passed, N failed"; exits non-zero if anything failed or nothing ran.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

out, failed_steps = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0

for log in sorted(glob.glob(os.path.join(out, "unit-*.log"))):
    text = open(log, errors="replace").read()
    p = sum(int(n) for n in re.findall(r"^\[  PASSED  \] (\d+) test", text, re.M))
    f = sum(int(n) for n in re.findall(r"^\[  FAILED  \] (\d+) test", text, re.M))
    if p + f == 0:
        f = 1  # a test program that ran no case (crashed before) counts as a failure
    print(f"{os.path.basename(log)}: {p} passed, {f} failed")
    passed += p
    failed += f

for xml in sorted(glob.glob(os.path.join(out, "system-*.xml"))):
    try:
        root = ET.parse(xml).getroot()
    except ET.ParseError:
        print(f"{os.path.basename(xml)}: unreadable")
        failed += 1
        continue
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    t = sum(int(s.get("tests", 0)) for s in suites)
    f = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    s_ = sum(int(s.get("skipped", 0)) for s in suites)
    print(f"{os.path.basename(xml)}: {t - f - s_} passed, {f} failed, {s_} skipped")
    passed += t - f - s_
    failed += f
    skipped += s_

suite_failed = failed
for s in failed_steps:
    print(f"step failed: {s}")
    if not s.startswith(("unit tests", "system tests")):
        failed += 1  # fuzz, distcheck: one check each; suites count their own cases
    elif suite_failed == 0:
        failed += 1  # a suite step failed without a failing case (build or crash)
        suite_failed = 1

print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(0 if failed == 0 and passed > 0 and not failed_steps else 1)

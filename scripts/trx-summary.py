#!/usr/bin/env python3
"""Sums the counters of every TRX file in a folder and prints "N passed, N failed, N skipped" on its own line."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
files = sorted(Path(sys.argv[1]).rglob("*.trx"))
for trx in files:
    counters = ET.parse(trx).getroot().find(f"{NS}ResultSummary/{NS}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
if not files:
    print("no test results found", file=sys.stderr)
    failed += 1
for name in sys.argv[2:]:
    if not (Path(sys.argv[1]) / f"{name}.trx").exists():
        print(f"{name}: no results (the test run did not complete)", file=sys.stderr)
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)

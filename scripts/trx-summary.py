#!/usr/bin/env python3
"""Sums the counters of every TRX file in a folder, names the failed tests, and prints "N passed, N failed, N skipped" on its own line."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
failures = []
files = sorted(Path(sys.argv[1]).rglob("*.trx"))
for trx in files:
    root = ET.parse(trx).getroot()
    for result in root.iter(f"{NS}UnitTestResult"):
        if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            message = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
            text = message.text if message is not None and message.text else ""
            first_line = next(iter(text.strip().splitlines()), "")
            failures.append(f"{trx.stem}: {result.get('testName')}: {first_line[:300]}")
    counters = root.find(f"{NS}ResultSummary/{NS}Counters")
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
if failures:
    # Repeated at the end so that a log's tail names what failed.
    print("Failed tests:")
    for line in failures:
        print(f"  {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)

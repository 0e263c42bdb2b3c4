# SPDX-License-Identifier: LGPL-2.1-or-later
"""test_report.py — the summary at the end of scripts/test.sh, from what each preset left.

    test_report.py RESULTS_DIR [--strict] [--allow REGEX]...

RESULTS_DIR holds, per preset P (in run order, listed in RESULTS_DIR/presets):
    P.status      "ok", "build-failed", "configure-failed" or "ctest-exit N"
    P.tests.json  `ctest --preset P --show-only=json-v1` (the tests the preset registers)
    P.junit.xml   `ctest --output-junit` of the run (absent when it did not run)
    P.lane.junit.xml  the tests of P that scripts/test.sh runs in its build lane (dist_packages)

Counts tests, not fixtures: a test with FIXTURES_SETUP or FIXTURES_CLEANUP (wine_start,
wine_stop, e2e_leaks, ...) is reported on a line of its own. A skipped test (exit 77) is one
whose reasons are its output's "SKIPPED: ..." lines; with --strict, a skip is allowed only when
every one of its reasons matches an --allow pattern (re.search). Every test of a preset whose
build or configure step failed counts as failed; a test without a result (not run because a
fixture failed, or ctest stopped) counts as failed.

Prints the skipped and failed tests, the fuzzers' executions, the fixtures line and, last, the
closing line "rtcpm: N passed, N failed, N skipped (...)". Exit 0 when nothing failed (and,
with --strict, no skip is off the allow-list), else 1.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


def registered_tests(path):
    """[(name, is_fixture, labels)] of a show-only=json-v1 file, [] when unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return []
    out = []
    for t in data.get("tests", []):
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        fixture = "FIXTURES_SETUP" in props or "FIXTURES_CLEANUP" in props
        out.append((t["name"], fixture, props.get("LABELS", [])))
    return out


def junit_results(path):
    """{name: (status, message, output)}; status run|fail|notrun. None when unreadable."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    out = {}
    for case in root.iter("testcase"):
        skipped = case.find("skipped")
        failure = case.find("failure")
        message = ""
        if skipped is not None:
            message = skipped.get("message", "")
        elif failure is not None:
            message = failure.get("message", "")
        text = case.findtext("system-out") or ""
        out[case.get("name")] = (case.get("status", ""), message, text)
    return out


def skip_reasons(output):
    return [line[len("SKIPPED:"):].strip() for line in output.splitlines() if line.startswith("SKIPPED:")]


def last_failure_line(output):
    """': <the last line saying what failed>' of a test's output, or ''."""
    lines = [l.strip() for l in output.splitlines() if l.strip()]
    for line in reversed(lines):
        if re.search(r"FAIL|[Ee]rror|LEAK|not found|[0-9]+\. /", line):
            return ": " + line[:200]
    return ": " + lines[-1][:200] if lines else ""


def fuzz_lines(output):
    return [line for line in output.splitlines() if line.startswith("run_fuzzer: ") and " executions in " in line]


class Report:
    def __init__(self, allow):
        self.allow = [re.compile(a) for a in allow]
        self.passed = self.failed = 0
        self.skipped = []  # (preset/test, reasons, allowed)
        self.failures = []  # (preset/test, why)
        self.fixtures = {}  # name -> [passed, failed]
        self.fuzz = []

    def allowed(self, reasons):
        return bool(reasons) and all(any(a.search(r) for a in self.allow) for r in reasons)

    def fixture(self, name, ok):
        counts = self.fixtures.setdefault(name, [0, 0])
        counts[0 if ok else 1] += 1

    def fail(self, where, why):
        self.failed += 1
        self.failures.append((where, why))

    def preset(self, results_dir, preset):
        status = read(os.path.join(results_dir, preset + ".status")) or "no status"
        tests = registered_tests(os.path.join(results_dir, preset + ".tests.json"))
        if status in ("build-failed", "configure-failed") or not tests:
            if not tests:
                self.fail(preset, status + " (its tests are unknown: counted as one)")
            for name, fixture, _ in tests:
                if fixture:
                    self.fixture(name, False)
                else:
                    self.fail(preset + "/" + name, status)
            return
        results = junit_results(os.path.join(results_dir, preset + ".junit.xml"))
        if results is None:
            results = {}
            self.fail(preset, "no readable ctest result (" + status + ")")
        # tests run in the build lane (dist_packages): their own junit file
        results.update(junit_results(os.path.join(results_dir, preset + ".lane.junit.xml")) or {})
        failed_before = self.failed + sum(c[1] for c in self.fixtures.values())
        for name, fixture, labels in tests:
            self.test(preset, name, fixture, labels, results.get(name))
        if status != "ok" and self.failed + sum(c[1] for c in self.fixtures.values()) == failed_before:
            self.fail(preset, status + " although no test failed")

    def test(self, preset, name, fixture, labels, result):
        where = preset + "/" + name
        if result is None:
            state, why = "fail", "no result"
        else:
            status, message, output = result
            if "fuzz" in labels:
                self.fuzz.extend(fuzz_lines(output))
            if status == "run":
                state, why = "pass", ""
            elif status == "notrun" and message == "SKIP_RETURN_CODE=77":
                state, why = "skip", skip_reasons(output)
            elif status == "notrun":
                state, why = "fail", "not run: " + (message or "?")
            else:
                state, why = "fail", (message or status) + last_failure_line(output)
        if fixture:
            self.fixture(name, state == "pass")
            return
        if state == "pass":
            self.passed += 1
        elif state == "skip":
            self.skipped.append((where, why, self.allowed(why)))
        else:
            self.fail(where, why)

    def print(self, strict):
        off_list = [s for s in self.skipped if not s[2]]
        if self.skipped:
            print("=== rtcpm: skipped tests (exit 77), with their reasons:")
            for where, reasons, ok in self.skipped:
                mark = "allowed" if ok else "NOT on the allow-list"
                print("  %s [%s]: %s" % (where, mark, "; ".join(reasons) or "(it printed no SKIPPED line)"))
        if self.failures:
            print("=== rtcpm: failed tests:")
            for where, why in self.failures:
                print("  %s: %s" % (where, why))
        for line in self.fuzz:
            print("=== rtcpm: fuzz: " + line[len("run_fuzzer: "):])
        fixture_failed = sum(c[1] for c in self.fixtures.values())
        if self.fixtures:
            print("=== rtcpm: fixtures (not counted as tests): %s: %d passed, %d failed"
                  % (", ".join(sorted(self.fixtures)), sum(c[0] for c in self.fixtures.values()), fixture_failed))
        red = self.failed > 0 or fixture_failed > 0
        if strict and off_list:
            print("=== rtcpm: STRICT (CI=true or --strict): %d skipped test(s) whose reason is not on the "
                  "allow-list of scripts/test.sh: %s" % (len(off_list), ", ".join(s[0] for s in off_list)))
            red = True
        note = ""
        if self.skipped:
            note = " (%d on the allow-list, %d not)" % (len(self.skipped) - len(off_list), len(off_list))
        print("rtcpm: %d passed, %d failed, %d skipped%s" % (self.passed, self.failed, len(self.skipped), note))
        return 1 if red else 0


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    results_dir, strict, allow = argv[0], False, []
    i = 1
    while i < len(argv):
        if argv[i] == "--strict":
            strict = True
        elif argv[i] == "--allow" and i + 1 < len(argv):
            i += 1
            allow.append(argv[i])
        else:
            print("test_report.py: unknown argument " + argv[i], file=sys.stderr)
            return 2
        i += 1
    report = Report(allow)
    for preset in read(os.path.join(results_dir, "presets")).split():
        report.preset(results_dir, preset)
    return report.print(strict)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

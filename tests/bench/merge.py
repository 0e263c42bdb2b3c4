#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""merge.py — joins rtcpm_bench's native and wine64 CSVs and callgrind's instruction counts
into the one table scripts/bench.sh prints (markdown on stdout, CSV with --csv).

Rows keep their platform. A row measured half natively and half under wine64 (row 2: B is
rtcpm's native BSTR runtime, A is Wine's oleaut32) becomes one row. Instruction-count rows
(" Ir" after the number) pair callgrind's totals per operation the way the timed rows pair
their kernels.
"""
import argparse
import csv
import math

FIELDS = ["id", "platform", "benchmark", "unit", "a_what", "a_value", "a_spread_pct", "b_what", "b_value",
          "b_spread_pct", "ratio", "goal", "goal_kind", "goal_value", "met"]

# callgrind pairs: id, name, (kernel, size) A, what A, (kernel, size) B, what B, goal kind, goal value, goal text
IR_PAIRS = [
    ("1 Ir", "GetMappingEx + ReleaseMappingEx: instructions, COM vtable vs plain C (as row 1)",
     ("c", 0), "C entry points", ("vtable", 0), "COM vtable, BSTRs", "ratio_le", 1.3, "B/A <= 1.3"),
    ("2 Ir", "BSTR alloc + free of an address string: instructions, rtcpm runtime vs the C heap floor",
     ("malloc", 0), "malloc + memcpy + free of the same bytes", ("bstr", 0),
     "rtcpm `SysAllocString` + `SysFreeString`", "none", 0, "report"),
    ("3 Ir", "GetMappingEx + ReleaseMappingEx (COM): instructions at 10^6 vs 10^3 live mappings",
     ("vtable", 1000), "1000 live", ("vtable", 1000000), "1000000 live", "ratio_le", 1.5, "B/A <= 1.5"),
    ("5 Ir", "host sequence (as row 5): instructions, host vs the same PM calls alone",
     ("host_pm_only", 0), "4 GetMappingEx + 4 ReleaseMappingEx on the vtable", ("host", 0),
     "enable + audio call + hang up + disable", "none", 0, "report"),
]


def read_rows(path):
    if not path:
        return []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return [dict(r) for r in csv.DictReader(f)]
    except FileNotFoundError:
        return []


def num(s):
    try:
        v = float(s)
        return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None


def met(row):
    a, b, kind, goal = num(row["a_value"]), num(row["b_value"]), row["goal_kind"], num(row["goal_value"]) or 0
    if kind == "ratio_le":
        return "-" if a is None or b is None else ("yes" if b / a <= goal else "no")
    if kind == "both_le":
        vals = [v for v in (a, b) if v is not None]
        return "-" if not vals else ("yes" if all(v <= goal for v in vals) else "no")
    if kind == "b_ge":
        return "-" if b is None else ("yes" if b >= goal else "no")
    return "-"


def finish(row):
    a, b = num(row["a_value"]), num(row["b_value"])
    row["ratio"] = "%.2f" % (b / a) if a and b is not None else ""
    row["met"] = met(row)
    return row


def join_halves(rows):
    """Rows with the same id and benchmark, one with only A and one with only B, become one."""
    out, used = [], set()
    for i, r in enumerate(rows):
        if i in used:
            continue
        for j in range(i + 1, len(rows)):
            s = rows[j]
            if j in used or s["id"] != r["id"] or s["benchmark"] != r["benchmark"]:
                continue
            halves = [(r, s), (s, r)]
            for x, y in halves:
                if x["a_value"] and not x["b_value"] and y["b_value"] and not y["a_value"]:
                    r = dict(x, b_what=y["b_what"], b_value=y["b_value"], b_spread_pct=y["b_spread_pct"],
                             platform="A: %s, B: %s" % (x["platform"], y["platform"]))
                    used.add(j)
                    break
            if j in used:
                break
        out.append(finish(r))
    return out


def ir_rows(path):
    counts = {}
    for r in read_rows(path):
        ir, it = num(r["ir"]), num(r["iterations"])
        if ir and it:
            counts[(r["kernel"], int(r["size"]))] = ir / it
    rows = []
    for rid, name, ka, wa, kb, wb, kind, goal, text in IR_PAIRS:
        if ka not in counts and kb not in counts:
            continue
        a, b = counts.get(ka), counts.get(kb)
        rows.append(finish({
            "id": rid, "platform": "native, callgrind", "benchmark": name, "unit": "instr",
            "a_what": wa, "a_value": "%.0f" % a if a else "", "a_spread_pct": "0",
            "b_what": wb, "b_value": "%.0f" % b if b else "", "b_spread_pct": "0",
            "ratio": "", "goal": text, "goal_kind": kind, "goal_value": str(goal), "met": ""}))
    return rows


def fmt(unit, v):
    if unit == "ns":
        if v >= 1e6:
            return "%.2f ms" % (v / 1e6)
        if v >= 1e3:
            return "%.2f us" % (v / 1e3)
        return "%.1f ns" % v
    if unit == "/s":
        if v >= 1e6:
            return "%.2f M/s" % (v / 1e6)
        if v >= 1e3:
            return "%.1f k/s" % (v / 1e3)
        return "%.1f /s" % v
    if unit == "instr":
        return "%.0f instr" % v
    if unit == "ms":
        return "%.2f ms" % v
    return "%.1f %s" % (v, unit)


def cell(row, side):
    what, v, sp = row[side + "_what"], num(row[side + "_value"]), num(row[side + "_spread_pct"])
    if v is None:
        return "%s: not measured" % what
    text = "%s: **%s**" % (what, fmt(row["unit"], v))
    if sp:
        text += " ±%.0f%%" % sp
    return text


def sort_key(row):
    head = row["id"].split()[0]
    return (int(head) if head.isdigit() else 99, " Ir" in row["id"], row["platform"].startswith("wine"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native")
    ap.add_argument("--wine")
    ap.add_argument("--rtc")
    ap.add_argument("--natpm")
    ap.add_argument("--ir")
    ap.add_argument("--machine", default="")
    ap.add_argument("--csv")
    args = ap.parse_args()

    rows = join_halves(read_rows(args.native) + read_rows(args.wine) + read_rows(args.rtc) +
                       read_rows(args.natpm)) + ir_rows(args.ir)
    rows.sort(key=sort_key)
    if args.machine:
        print("Machine: %s\n" % args.machine)
    print("| # | where | benchmark | A | B | B/A | goal | met |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (r["id"], r["platform"], r["benchmark"], cell(r, "a"),
                                                             cell(r, "b"), r["ratio"] or "-", r["goal"] or "-",
                                                             r["met"]))
    print("\nA and B: median of the repetitions, ± half their range; B/A is the ratio the goal is about.")
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS + ["machine"])
            w.writeheader()
            for r in rows:
                w.writerow(dict({k: r.get(k, "") for k in FIELDS}, machine=args.machine))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The coverage gate: checks a coverlet cobertura report against tests/coverage-thresholds.json.

usage: coverage-gate.py REPORT [THRESHOLDS] [--write-floors]

Prints one line per checked group (assembly, or source folder within one), then, for each group below its threshold,
a line that starts with "coverage: BELOW" naming the group, the figure and the floor, and the uncovered lines or
partly taken branches of the group's files (so the shortfall can be found without another tool).
Exit 0 when every group meets its thresholds, 1 when one does not, 2 when the report or thresholds cannot be read.
--write-floors sets every group's floors to the report's figures rounded down to 2 decimals (after new tests).
"""
import math
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


def load_lines(report):
    """{filename: {line: (hits, covered_branches, total_branches)}} for every class of the report (merged)."""
    files = {}
    for cls in ET.parse(report).getroot().iter("class"):
        name = cls.get("filename").replace("\\", "/")
        lines = files.setdefault(name, {})
        for line in cls.iter("line"):
            n = int(line.get("number"))
            hits = int(line.get("hits"))
            covered = total = 0
            m = re.search(r"\((\d+)/(\d+)\)", line.get("condition-coverage") or "")
            if line.get("branch") == "True" and m:
                covered, total = int(m.group(1)), int(m.group(2))
            old = lines.get(n)
            if old:  # the same line in two classes (nested types, lambdas): keep the best of each
                hits = max(hits, old[0])
                covered = max(covered, old[1])
                total = max(total, old[2])
            lines[n] = (hits, covered, total)
    return files


def in_group(filename, prefix):
    """A path prefix such as managed/Wirespeed.Core/Books/, matched anywhere in the report's (possibly absolute) name."""
    return filename.startswith(prefix) or ("/" + prefix) in filename


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    write = "--write-floors" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--write-floors"]
    report = args[0]
    thresholds = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "coverage-thresholds.json")
    try:
        files = load_lines(report)
        with open(thresholds, encoding="utf-8") as f:
            doc = json.load(f)
        groups = doc["groups"]
    except (OSError, ET.ParseError, ValueError, KeyError) as e:
        print(f"coverage: cannot check: {e}")
        return 2

    below = []
    for g in groups:
        # "exclude": sub-folders gated as groups of their own (a parser folder held at 100% beside a session layer
        # in a sub-folder of it that holds socket timing).
        excluded = g.get("exclude", [])
        members = {name: lines for name, lines in files.items()
                   if in_group(name, g["path"]) and not any(in_group(name, x) for x in excluded)}
        lines_total = sum(len(l) for l in members.values())
        if lines_total == 0:
            below.append((g, f"coverage: BELOW {g['name']}: no lines of {g['path']} in the report (moved or renamed? update {os.path.basename(thresholds)})", []))
            continue
        lines_hit = sum(1 for l in members.values() for h, _, _ in l.values() if h > 0)
        br_total = sum(t for l in members.values() for _, _, t in l.values())
        br_hit = sum(c for l in members.values() for _, c, _ in l.values())
        line_pct = 100.0 * lines_hit / lines_total
        br_pct = 100.0 * br_hit / br_total if br_total else 100.0
        if write:
            g["lines"] = math.floor(line_pct * 100) / 100
            g["branches"] = math.floor(br_pct * 100) / 100
        print(f"  {g['name']:28s} lines {line_pct:6.2f}% (min {g['lines']:6.2f})  branches {br_pct:6.2f}% (min {g['branches']:6.2f})")
        # A floor is a measured figure rounded down to 2 decimals; the epsilon keeps float noise from failing it.
        short = []
        if line_pct + 1e-9 < g["lines"]:
            short.append(f"lines {line_pct:.2f}% < {g['lines']:.2f}%")
        if br_pct + 1e-9 < g["branches"]:
            short.append(f"branches {br_pct:.2f}% < {g['branches']:.2f}%")
        if short:
            detail = []
            for name, l in sorted(members.items()):
                missed = [n for n, (h, _, _) in sorted(l.items()) if h == 0]
                partial = [f"{n}({c}/{t})" for n, (h, c, t) in sorted(l.items()) if t and c < t]
                if missed or partial:
                    detail.append(f"    {name}: uncovered lines {missed}, branches {partial}")
            below.append((g, f"coverage: BELOW {g['name']} ({g['path']}): " + ", ".join(short), detail))

    if write:
        with open(thresholds, "w", encoding="utf-8") as f:
            f.write("{\n  \"_comment\": " + json.dumps(doc["_comment"], indent=4).replace("\n", "\n  ").replace("    ]", "  ]") + ",\n  \"groups\": [\n")
            f.write(",\n".join("    " + json.dumps(g) for g in groups) + "\n  ]\n}\n")
        print(f"coverage: floors written to {thresholds}")
        return 0
    for _, line, detail in below:
        print(line)
        for d in detail[:40]:
            print(d)
    if below:
        print(f"coverage: FAILED: {len(below)} group(s) below {os.path.basename(thresholds)}; test the lines above, or explain them in tests/COVERAGE.md and lower the floor there")
        return 1
    print(f"coverage: ok, {len(groups)} groups at or above {os.path.basename(thresholds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs one command N times through runone (bench/runone.c) and prints one
Markdown table row: wall time (median, min, max), CPU time (user+sys,
median), peak RSS (max over the runs), output bytes, resources, and wall and
CPU time per resource. Used by bench/run.sh.
  measure.py RUNONE LABEL N OUT_DIR|- CMD...   (OUT_DIR -: no output to count;
  exit status 1 then counts as a run, e.g. paygen check finding violations)"""
import json
import os
import statistics
import subprocess
import sys


def count_output(out_dir):
    resources, size = 0, 0
    for root, _, files in os.walk(out_dir):
        for f in files:
            path = os.path.join(root, f)
            size += os.path.getsize(path)
            if f == "cdk.tf.json":
                with open(path) as fh:
                    doc = json.load(fh)
                for by_type in doc.get("resource", {}).values():
                    resources += len(by_type)
    return resources, size


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    runone, label, n, out_dir, argv = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    ok = {0} if out_dir != "-" else {0, 1}
    # One run first, to show why a case fails.
    probe = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if probe.returncode not in ok:
        last = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else ""
        print(f"| {label} | failed (exit {probe.returncode}): {last} |")
        return 1
    lines = subprocess.run([runone, n] + argv, stdout=subprocess.PIPE, text=True,
                           check=True).stdout.split()
    runs = [lines[i:i + 4] for i in range(0, len(lines), 4)]
    if any(int(r[3]) not in ok for r in runs):
        print(f"| {label} | failed in one of the runs |")
        return 1
    walls = [int(r[0]) / 1e6 for r in runs]
    cpus = [int(r[1]) / 1e3 for r in runs]
    rss = max(int(r[2]) for r in runs) / 1024
    resources, size = count_output(out_dir) if out_dir != "-" else (0, 0)
    med, cpu = statistics.median(walls), statistics.median(cpus)
    per = f"{med * 1000 / resources:.1f}" if resources else "-"
    cpu_per = f"{cpu * 1000 / resources:.1f}" if resources else "-"
    print(f"| {label} | {len(runs)} | {med:.2f} | {min(walls):.2f} | {max(walls):.2f} | {cpu:.1f} | "
          f"{rss:.1f} | {size if size else '-'} | {resources if resources else '-'} | {per} | {cpu_per} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Renders dashboard time-series panels from a real Prometheus into one PNG, the way Grafana would
draw them (queries with their template variables filled in, legends from legendFormat, the
panel's unit on the axis), for the README, where no Grafana runs.

  render_panels.py PROMETHEUS-URL JOB INSTANCE SECONDS OUT.png DASHBOARD.json#PANEL-ID ...

SECONDS is the time range up to now. Exits non-zero, naming the panel, when a panel's queries
return no series: a picture of empty panels would prove nothing.
"""
import json
import math
import os
import re
import sys
import time
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from check_stack import ROOT, fill_variables  # noqa: E402

UNITS = {"s": "seconds", "reqps": "requests/s", "ops": "per second", "percentunit": "ratio",
         "short": "", "bytes": "bytes"}


def range_query(prometheus, expr, start, end, step):
    query = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{query}", timeout=30) as reply:
        body = json.load(reply)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


def legend(fmt, labels):
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt or "")
    return " ".join(text.split()) or json.dumps(labels)


def panel(spec):
    path, _, panel_id = spec.partition("#")
    with open(os.path.join(ROOT, "grafana/dashboards", path)) as f:
        dashboard = json.load(f)
    for candidate in dashboard["panels"]:
        if candidate.get("id") == int(panel_id):
            return dashboard["title"], candidate
    raise SystemExit(f"render_panels: {spec}: no such panel")


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    prometheus, job, instance, seconds, out = argv[1:6]
    end = time.time()
    start = end - float(seconds)
    step = max(1, int(float(seconds) / 120))
    # windows short enough for a few minutes of data, as Grafana's $__rate_interval would be
    variables = {"job": job, "instance": instance, "__rate_interval": f"{max(4 * step, 15)}s",
                 "__interval": f"{step}s", "__range": f"{int(float(seconds))}s"}
    specs = argv[6:]
    columns = 2
    rows = math.ceil(len(specs) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(12, 3.6 * rows), squeeze=False)
    empty = []
    drawn = 0
    for index, spec in enumerate(specs):
        title, p = panel(spec)
        ax = axes[index // columns][index % columns]
        series = 0
        for target in p.get("targets", []):
            expr = fill_variables(target["expr"], variables)
            for result in range_query(prometheus, expr, start, end, step):
                points = [(float(t) - end, float(v)) for t, v in result["values"]
                          if not math.isnan(float(v))]
                if not points:
                    continue
                xs, ys = zip(*points)
                ax.plot(xs, ys, label=legend(target.get("legendFormat"), result["metric"]))
                series += 1
        if series == 0:
            empty.append(spec)
        drawn += series
        # Grafana's hint in parentheses ("click an exemplar") means nothing on a picture
        ax.set_title(f"{title} / {re.sub(r' [(].*', '', p['title'])}", fontsize=9)
        ax.set_xlabel("seconds before the picture", fontsize=8)
        ax.set_ylabel(UNITS.get(p.get("fieldConfig", {}).get("defaults", {}).get("unit"), ""),
                      fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if series:
            ax.legend(fontsize=6, loc="upper left")
    for index in range(len(specs), rows * columns):
        axes[index // columns][index % columns].axis("off")
    figure.tight_layout()
    figure.savefig(out, dpi=90)
    if empty:
        print("render_panels: no data in " + ", ".join(empty), file=sys.stderr)
        return 1
    print(f"render_panels: {len(specs)} panels, {drawn} series, {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

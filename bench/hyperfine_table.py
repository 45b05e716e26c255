"""Shared helpers for the benchmark reports: read hyperfine JSON exports, write Markdown rows."""
import json
import os

HEAD = "| benchmark | mean [s] | stddev [s] | min [s] | max [s] | runs | notes |\n|---|---:|---:|---:|---:|---:|---|"


def load(jsondir, name):
    """The first result of JSONDIR/NAME.json, or None when that benchmark did not run."""
    path = os.path.join(jsondir, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["results"][0]


def row(label, r, note=""):
    if r is None:
        return f"| {label} | – | – | – | – | – | not run |"
    sd = r.get("stddev") or 0.0
    return f"| {label} | {r['mean']:.3f} | {sd:.3f} | {r['min']:.3f} | {r['max']:.3f} | {len(r['times'])} | {note} |"

#!/usr/bin/env python3
"""Structural checks of the monitoring stack that promtool and amtool do not make.

  check_stack.py check [rules|dashboards|compose|kubernetes ...]   (all when none is named)
                            rules (severity, annotations, runbook files, unit-test coverage),
                            Grafana dashboards (JSON model, unique panel ids, data sources,
                            template variables), the compose file (pinned images, health
                            checks) and the Kubernetes example (apiVersion/kind/name, agent wiring)
  check_stack.py queries JOB INSTANCE OUT-FILE
                            every dashboard query (template variables filled in), template
                            variable query and rule expression (alert thresholds opened), one per
                            line: source TAB expr TAB the exported metric names it reads
Exits non-zero and prints every problem on stderr when a check fails.
"""
import glob
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEVERITIES = {"critical", "warning", "info"}
RUNBOOK_BASE = "https://github.com/redwing/redwing/blob/main/monitoring-stack/runbooks/"
KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan", "le"}
THRESHOLD = re.compile(r"(>=|<=|==|!=|>|<)\s*-?[0-9]+(\.[0-9]+)?")
problems = []


def problem(message):
    problems.append(message)


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def rule_groups():
    for path in sorted(glob.glob(os.path.join(ROOT, "prometheus/rules/*.rules.yml"))):
        for group in load_yaml(path)["groups"]:
            yield os.path.basename(path), group


def rules():
    for path, group in rule_groups():
        for rule in group["rules"]:
            yield path, group["name"], rule


def recording_rules():
    return {r["record"]: r["expr"] for _, _, r in rules() if "record" in r}


def metric_names(expr):
    """The series names an expression reads, recording rules left as they are."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        token = match.group(0)
        following = text[match.end():].lstrip()
        if following.startswith("(") or token.lower() in KEYWORDS:
            continue
        if re.fullmatch(r"\d+[smhdwy]", token) or token.startswith("$"):
            continue
        names.add(token)
    return names


def base_metrics(expr, recorded):
    """The exported metric names an expression reads, through any recording rules."""
    result = set()
    for name in metric_names(expr):
        if name in recorded:
            result |= base_metrics(recorded[name], recorded)
        else:
            result.add(name)
    return result


def check_rules():
    alerts = {}
    for path, group, rule in rules():
        if "alert" not in rule:
            continue
        name = rule["alert"]
        alerts[name] = rule
        severity = rule.get("labels", {}).get("severity")
        if severity not in SEVERITIES:
            problem(f"{path}: {name} has severity {severity!r}, not one of {sorted(SEVERITIES)}")
        annotations = rule.get("annotations", {})
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                problem(f"{path}: {name} has no {key} annotation")
        url = annotations.get("runbook_url", "")
        if url != RUNBOOK_BASE + name + ".md":
            problem(f"{path}: {name} runbook_url {url} is not {RUNBOOK_BASE}{name}.md")
        elif not os.path.isfile(os.path.join(ROOT, "runbooks", name + ".md")):
            problem(f"{path}: {name} has no runbooks/{name}.md")
    firing, quiet, expr_tested = set(), set(), set()
    for path in sorted(glob.glob(os.path.join(ROOT, "prometheus/tests/*.test.yml"))):
        for test in load_yaml(path)["tests"]:
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else quiet).add(case["alertname"])
            for case in test.get("promql_expr_test", []):
                expr_tested |= metric_names(case["expr"])
    for name in alerts:
        if name not in firing:
            problem(f"{name}: no promtool test where it fires")
        if name not in quiet:
            problem(f"{name}: no promtool test where it stays quiet")
    recorded = recording_rules()
    used_by_tested_alerts = set()
    for name, rule in alerts.items():
        if name in firing:
            pending = set(metric_names(rule["expr"]))
            while pending:
                current = pending.pop()
                if current in recorded and current not in used_by_tested_alerts:
                    used_by_tested_alerts.add(current)
                    pending |= metric_names(recorded[current])
    for record in recorded:
        if record not in expr_tested and record not in used_by_tested_alerts:
            problem(f"recording rule {record}: neither tested by a promql_expr_test nor used by a tested alert")
    return f"{len(alerts)} alerts, {len(recorded)} recording rules"


def datasource_uids():
    uids = {}
    for path in glob.glob(os.path.join(ROOT, "grafana/provisioning/datasources/*.yml")):
        for source in load_yaml(path).get("datasources", []):
            uids[source["uid"]] = source["type"]
    return uids


def dashboards():
    for path in sorted(glob.glob(os.path.join(ROOT, "grafana/dashboards/*.json"))):
        with open(path) as f:
            try:
                yield os.path.basename(path), json.load(f)
            except json.JSONDecodeError as e:
                problem(f"{path}: invalid JSON: {e}")


def panels(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def check_dashboards():
    uids = datasource_uids()
    if not uids:
        problem("grafana/provisioning/datasources: no data sources")
    seen_uids, count = set(), 0
    for name, dashboard in dashboards():
        count += 1
        for key in ("uid", "title", "panels", "templating", "schemaVersion"):
            if key not in dashboard:
                problem(f"{name}: no {key}")
        if dashboard.get("uid") in seen_uids:
            problem(f"{name}: dashboard uid {dashboard.get('uid')} used twice")
        seen_uids.add(dashboard.get("uid"))
        variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
        for required in ("job", "instance"):
            if required not in variables:
                problem(f"{name}: no template variable {required}")
        for variable in variables.values():
            if variable.get("type") == "query":
                check_datasource(name, "variable " + variable["name"], variable.get("datasource"), uids, variables)
        ids = set()
        for panel in panels(dashboard):
            pid = panel.get("id")
            if not isinstance(pid, int):
                problem(f"{name}: panel {panel.get('title')!r} has no numeric id")
            elif pid in ids:
                problem(f"{name}: panel id {pid} used twice")
            ids.add(pid)
            if panel.get("type") == "row":
                continue
            for key in ("title", "type", "gridPos"):
                if key not in panel:
                    problem(f"{name}: panel {pid} has no {key}")
            check_datasource(name, f"panel {pid}", panel.get("datasource"), uids, variables)
            targets = panel.get("targets", [])
            if not targets:
                problem(f"{name}: panel {pid} has no targets")
            for target in targets:
                if not target.get("expr"):
                    problem(f"{name}: panel {pid} target {target.get('refId')} has no expr")
                used = set(re.findall(r"\$\{?([a-zA-Z_]+)", target.get("expr", "")))
                for var in used - set(variables) - {"__rate_interval", "__interval", "__range"}:
                    problem(f"{name}: panel {pid} uses undefined variable ${var}")
    if count == 0:
        problem("grafana/dashboards: no dashboards")
    return count


def check_datasource(name, where, datasource, uids, variables):
    if not isinstance(datasource, dict) or "uid" not in datasource:
        problem(f"{name}: {where} has no datasource reference")
        return
    uid = datasource["uid"]
    if uid.startswith("${") and uid[2:-1] in variables:
        return
    if uid not in uids:
        problem(f"{name}: {where} refers to unknown data source uid {uid}")
    elif datasource.get("type") and datasource["type"] != uids[uid]:
        problem(f"{name}: {where} data source {uid} is {uids[uid]}, not {datasource['type']}")


def check_compose():
    path = os.path.join(ROOT, "compose.yaml")
    if not os.path.isfile(path):
        problem("compose.yaml missing")
        return 0
    compose = load_yaml(path)
    for name, service in compose.get("services", {}).items():
        image = service.get("image")
        if image is None and "build" not in service:
            problem(f"compose.yaml: {name} has neither image nor build")
        if image is not None:
            tag = image.rsplit("/", 1)[-1].partition(":")[2]
            if not re.match(r"v?\d+\.\d+", tag) and "@sha256:" not in image:
                problem(f"compose.yaml: {name} image {image} is not pinned to a version")
        if "healthcheck" not in service:
            problem(f"compose.yaml: {name} has no healthcheck")
    return len(compose.get("services", {}))


def check_kubernetes():
    count = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "k8s/*.yaml"))):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if doc is None:
                    continue
                count += 1
                for key in ("apiVersion", "kind"):
                    if key not in doc:
                        problem(f"{path}: a document has no {key}")
                if not doc.get("metadata", {}).get("name"):
                    problem(f"{path}: a {doc.get('kind')} has no metadata.name")
                if doc.get("kind") == "Deployment":
                    check_deployment(path, doc)
    if count == 0:
        problem("k8s: no Kubernetes objects")
    return count


def check_deployment(path, doc):
    spec = doc["spec"]["template"]["spec"]
    volumes = {v["name"] for v in spec.get("volumes", [])}
    if not spec.get("initContainers"):
        problem(f"{path}: the Deployment has no init container copying the agent")
    for container in spec.get("initContainers", []) + spec["containers"]:
        for mount in container.get("volumeMounts", []):
            if mount["name"] not in volumes:
                problem(f"{path}: {container['name']} mounts unknown volume {mount['name']}")
    app = spec["containers"][0]
    env = {e["name"]: e.get("value", "") for e in app.get("env", [])}
    if "-javaagent:" not in env.get("JAVA_TOOL_OPTIONS", ""):
        problem(f"{path}: JAVA_TOOL_OPTIONS has no -javaagent:")
    for name in ("OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        if name not in env:
            problem(f"{path}: no {name}")
    probe = app.get("readinessProbe", {}).get("httpGet", {})
    if probe.get("path") != "/ready":
        problem(f"{path}: the readiness probe is not the agent's /ready")


def fill_variables(expr, values):
    """The expression with Grafana's $name and ${name} replaced from values (others left)."""
    return re.sub(r"\$\{?([a-zA-Z_]+)\}?", lambda m: values.get(m.group(1), m.group(0)), expr)


def queries(job, instance):
    substitutions = {"job": job, "instance": instance, "__rate_interval": "1m",
                     "__interval": "15s", "__range": "5m"}

    def fill(expr):
        return fill_variables(expr, substitutions)

    recorded = recording_rules()
    for name, dashboard in dashboards():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                expr = fill(target["expr"])
                yield f"{name}#{panel['id']}{target.get('refId', '')}", expr, base_metrics(expr, recorded)
        for variable in dashboard.get("templating", {}).get("list", []):
            if variable.get("type") == "query":
                query = variable["query"]
                query = query.get("query", "") if isinstance(query, dict) else query
                match = re.fullmatch(r"label_values\((.*),\s*[a-zA-Z_]+\)", fill(query))
                if match:
                    yield f"{name}$" + variable["name"], match.group(1), base_metrics(match.group(1), recorded)
    for path, group, rule in rules():
        source = f"{path}:{rule.get('alert') or rule.get('record')}"
        expr = " ".join(rule["expr"].split())
        if "alert" in rule:
            # A healthy demo fires no alert: open every threshold so the query returns the
            # series the alert watches ("x > 0.9" becomes "x > -Inf").
            expr = THRESHOLD.sub("> -Inf", expr)
        yield source, expr, base_metrics(expr, recorded)


def main(argv):
    if len(argv) == 5 and argv[1] == "queries":
        with open(argv[4], "w") as out:
            for source, expr, names in queries(argv[2], argv[3]):
                out.write(f"{source}\t{' '.join(expr.split())}\t{','.join(sorted(names))}\n")
        return 0
    parts = {"rules": check_rules, "dashboards": check_dashboards, "compose": check_compose,
             "kubernetes": check_kubernetes}
    if len(argv) < 2 or argv[1] != "check" or not set(argv[2:]) <= set(parts):
        print(__doc__, file=sys.stderr)
        return 2
    summary = [f"{part} {parts[part]()}" for part in (argv[2:] or parts)]
    for message in problems:
        print("PROBLEM: " + message, file=sys.stderr)
    if problems:
        return 1
    print("check_stack: OK " + ", ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

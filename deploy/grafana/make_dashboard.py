"""Writes deploy/grafana/cocoonage.json, the venue's Grafana dashboard (import it in Grafana:
Dashboards → New → Import; pick the Prometheus data source that scrapes the gateway's /metrics and
each service's COCOON_METRICS_PORT). Edit the panels here, run `python deploy/grafana/make_dashboard.py`,
commit both files; tests/unit/test_grafana_dashboard.py checks each query names a metric the code exports."""

import json
from pathlib import Path

# (title, unit, [(query, legend)]): one row of panels per concern, the order an on-call person reads.
PANELS = [
    (
        "Requêtes du portail par seconde",
        "reqps",
        [("sum by (status) (rate(cocoon_http_requests_total[5m]))", "{{status}}")],
    ),
    (
        "Temps de réponse du portail (p95)",
        "s",
        [("histogram_quantile(0.95, sum by (le) (rate(cocoon_http_request_seconds_bucket[5m])))", "p95")],
    ),
    (
        "Temps des appels par service (p95)",
        "s",
        [
            (
                "histogram_quantile(0.95, sum by (le, service, kind) (rate(cocoon_entrypoint_seconds_bucket[5m])))",
                "{{service}} {{kind}}",
            )
        ],
    ),
    (
        "Appels en erreur par service",
        "ops",
        [("sum by (service, error) (rate(cocoon_entrypoint_failures_total[5m]))", "{{service}} {{error}}")],
    ),
    (
        "Événements publiés et traités",
        "ops",
        [
            ("sum by (service) (rate(cocoon_events_published_total[5m]))", "publiés {{service}}"),
            ("sum by (service, outcome) (rate(cocoon_events_consumed_total[5m]))", "{{outcome}} {{service}}"),
        ],
    ),
    ("Événements en lettres mortes", "short", [("sum by (queue) (cocoon_dead_letter_messages)", "{{queue}}")]),
    (
        "Événements en attente d'envoi (outbox)",
        "short",
        [("sum by (service) (cocoon_outbox_pending_events)", "{{service}}")],
    ),
    (
        "Plus ancien événement en attente",
        "s",
        [("max by (service) (cocoon_outbox_oldest_pending_seconds)", "{{service}}")],
    ),
    ("Messages en file", "short", [("sum by (queue) (cocoon_queue_messages_ready) > 0", "{{queue}}")]),
    ("Services qui répondent", "short", [("cocoon_service_health_up", "{{service}}")]),
    ("Courriels", "short", [("sum by (outcome) (increase(cocoon_emails_total[1h]))", "{{outcome}}")]),
    ("Traces d'audit non écrites", "short", [("increase(cocoon_audit_write_failures_total[1h])", "échecs")]),
]


def panel(index, title, unit, queries):
    return {
        "id": index + 1,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": (index % 2) * 12, "y": (index // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {"refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend}
            for n, (expr, legend) in enumerate(queries)
        ],
    }


def dashboard():
    return {
        "title": "Cocoon'Age — le lieu",
        "uid": "cocoonage-venue",
        "schemaVersion": 39,
        "version": 1,
        "timezone": "browser",
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "tags": ["cocoonage"],
        "templating": {
            "list": [{"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Source Prometheus"}]
        },
        "panels": [panel(i, *spec) for i, spec in enumerate(PANELS)],
    }


if __name__ == "__main__":
    target = Path(__file__).with_name("cocoonage.json")
    target.write_text(json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")

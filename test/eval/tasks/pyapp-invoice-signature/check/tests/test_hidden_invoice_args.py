import ast
import inspect
import io
from dataclasses import replace
from datetime import date

import tally.services.billing as billing
from tally.api.app import App
from tally.cli.main import main
from tally.db.entries import insert_entry

from conftest import ApiClient, FIXED_NOW


def test_the_signature_takes_the_two_settings():
    params = inspect.signature(billing.build_invoice).parameters
    assert "config" not in params
    assert {"round_to_minutes", "currency"} <= set(params)


def test_billing_no_longer_depends_on_config():
    tree = ast.parse(inspect.getsource(billing))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert "tally.config" not in imported
    assert not any(isinstance(n, ast.Name) and n.id == "Config" for n in ast.walk(tree))


def test_build_invoice_uses_the_given_settings(conn, seeded):
    insert_entry(conn, seeded["web"].id, date(2024, 5, 3), 7)
    invoice = billing.build_invoice(conn, seeded["client"].id, date(2024, 5, 1), date(2024, 5, 31), round_to_minutes=6, currency="CHF")
    assert (invoice.rounding, invoice.total_minutes, invoice.currency) == (6, 12, "CHF")
    own = billing.build_invoice(conn, seeded["client"].id, date(2024, 5, 1), date(2024, 5, 31), round_to_minutes=0, currency="EUR")
    assert (own.rounding, own.total_minutes) == (15, 15)


def test_the_api_passes_the_configured_settings(config):
    api = ApiClient(App(replace(config, round_to_minutes=30, currency="CHF"), clock=lambda: FIXED_NOW))
    client = api.post("/clients", {"name": "Initech", "hourly_rate_cents": 6000}).json["id"]
    project = api.post("/projects", {"code": "tps", "name": "TPS reports", "client_id": client}).json["id"]
    api.post("/entries", {"project_id": project, "day": "2024-05-03", "minutes": 10})
    invoice = api.get(f"/clients/{client}/invoice?from=2024-05-01&to=2024-05-31").json
    assert (invoice["currency"], invoice["rounding_minutes"], invoice["total_minutes"], invoice["total_cents"]) == ("CHF", 30, 30, 3000)


def test_the_cli_passes_the_configured_settings(tmp_path):
    db = str(tmp_path / "inv.db")
    env = {"TALLY_CURRENCY": "GBP", "TALLY_ROUND_TO_MINUTES": "30"}

    def run(*argv):
        out = io.StringIO()
        assert main(["--db", db, *argv], out=out, env=env) == 0
        return out.getvalue()

    run("client", "add", "Initech", "--rate", "60")
    run("project", "add", "tps", "TPS", "--client", "Initech")
    run("log", "tps", "10", "--day", "2024-05-03")
    output = run("invoice", "Initech", "--from", "2024-05-01", "--to", "2024-05-31")
    assert "GBP 30.00" in output and "30-minute steps" in output

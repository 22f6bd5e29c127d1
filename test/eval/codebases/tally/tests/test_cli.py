import io

import pytest

from tally.cli.main import main


@pytest.fixture
def tally(tmp_path):
    """Runs the CLI against a database in tmp_path; returns (exit status, output)."""
    db = str(tmp_path / "cli.db")

    def run(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        out = io.StringIO()
        status = main(["--db", db, *argv], out=out, env=env or {"TALLY_CONFIG": ""})
        return status, out.getvalue()

    return run


def test_init_reports_the_schema(tally):
    status, output = tally("init")
    assert status == 0 and "schema version 3" in output


def test_clients_projects_and_time(tally):
    assert tally("client", "add", "Acme", "--rate", "90")[0] == 0
    assert tally("project", "add", "web", "Acme website", "--client", "acme", "--budget", "40h")[0] == 0
    assert tally("log", "web", "1h30m", "--day", "2024-05-13", "--tags", "design, ux")[0] == 0
    assert tally("log", "web", "0:45", "--day", "2024-05-15", "--non-billable")[0] == 0
    clients = tally("client", "list")[1]
    assert "Acme" in clients and "EUR 90.00" in clients
    assert "40:00" in tally("project", "list")[1]
    entries = tally("entries", "--project", "web")[1].splitlines()
    assert entries[0].split() == ["id", "day", "project", "time", "billable", "tags", "note"]
    assert "design,ux" in entries[3]
    report = tally("report", "--from", "2024-05-01", "--to", "2024-05-31")[1]
    assert "2:15" in report and "1:30" in report
    assert "2:15" in tally("report", "--week", "2024-05-14")[1]
    assert "2:15" in tally("week", "--day", "2024-05-19")[1]
    invoice = tally("invoice", "acme", "--from", "2024-05-01", "--to", "2024-05-31")[1]
    assert "EUR 135.00" in invoice and "15-minute steps" in invoice


def test_report_week_follows_the_configured_week_start(tally):
    tally("project", "add", "web", "Website")
    tally("log", "web", "30", "--day", "2024-05-12")
    assert "2024-05-06 to 2024-05-12" in tally("report", "--week", "2024-05-12")[1]
    assert "2024-05-12 to 2024-05-18" in tally("report", "--week", "2024-05-12", env={"TALLY_WEEK_START": "sunday"})[1]


def test_errors_are_one_line_and_exit_1(tally, capsys):
    assert tally("log", "nope", "1h")[0] == 1
    assert "no project 'nope'" in capsys.readouterr().err
    tally("project", "add", "web", "Website")
    assert tally("log", "web", "soon")[0] == 1
    assert "cannot read" in capsys.readouterr().err
    assert tally("report")[0] == 1


def test_archived_projects_take_no_time(tally):
    tally("project", "add", "old", "Old work")
    assert tally("project", "archive", "old")[0] == 0
    assert tally("log", "old", "1h")[0] == 1
    assert tally("project", "list")[1] == "(none)\n"


def test_config_command_masks_the_token(tally):
    output = tally("config", env={"TALLY_API_TOKEN": "abcdefghijklmnopqrst"})[1]
    assert "api_token = abcd..." in output and "qrst" not in output

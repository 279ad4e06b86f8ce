"""GET /api/v1/programs/senders over HTTP: the senders the directory knows, for clients that
check received mail only from programs."""

from __future__ import annotations

import time

import requests
import yaml

from server.config import ROOT
from server.engine import Directory

from .serverproc import ServerProcess

SHIPPED = yaml.safe_load((ROOT / "rules" / "programs.yaml").read_text(encoding="utf-8"))


def senders(server) -> dict:
    answer = requests.get(f"{server.url}/api/v1/programs/senders", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
    return answer.json()


def test_the_shipped_directory_lists_every_domain_and_program_address_and_needs_no_token(live_server):
    directory = Directory.from_spec(SHIPPED)
    answer = senders(live_server)
    assert answer["domains"] == sorted({d for i in directory.institutions.values() for d in i.domains})
    assert {"uw.edu", "uwmedicine.org", "vumc.org"} <= set(answer["domains"])
    assert answer["addresses"] == ["imrp_rih@brown.edu"]
    # Anything the directory knows is in the list, and mail from outside it is not.
    assert all(directory.institution_for(f"someone@{domain}") for domain in answer["domains"])
    assert "gmail.com" not in answer["domains"]


def test_an_edited_directory_is_what_the_list_says(tmp_path):
    """An institution listed without domains is known by its key; a program address may sit
    outside every institution's domains (a program's own mailbox at a mail provider)."""
    spec = {
        "tracks": [{"id": "anesthesiology"}],
        "institutions": [{"key": "uw.edu", "name": "University of Washington", "domains": ["UW.edu", "uwmedicine.org"]},
                         {"key": "smallhospital.org", "name": "Small Hospital"}],
        "programs": [{"institution": "smallhospital.org", "track": "anesthesiology",
                      "addresses": ["SmallHospital.Anesthesia@gmail.com"]}],
    }
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "programs.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    with ServerProcess(tmp_path / "instance") as server:
        server.flask("load-directory", "--rules", str(tmp_path / "rules"))
        expected = {"domains": ["smallhospital.org", "uw.edu", "uwmedicine.org"],
                    "addresses": ["smallhospital.anesthesia@gmail.com"]}
        # Each server process reads a changed directory within about a second.
        deadline = time.monotonic() + 10
        while senders(server) != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert senders(server) == expected

"""The Outlook add-in, served by the rules server itself so that a school deploys one thing.

- /addin/...: the task pane, the Smart Alerts send handler and the icons (extension/outlook/src)
- /.well-known/microsoft-officeaddins-allowed.json: names the send handler that classic Outlook on
  Windows may run with cross-origin requests to this server
- `flask --app server outlook-manifest --url https://coach.example.edu`: the add-in manifest for
  this deployment, to sideload or to upload in the Microsoft 365 admin center
"""

from __future__ import annotations

import ipaddress
import json
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import click
from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory

from .config import ROOT

ADDIN_DIR = ROOT / "extension" / "outlook"
FILES_DIR = ADDIN_DIR / "src"
MANIFEST_TEMPLATE = ADDIN_DIR / "manifest.template.xml"
SEND_HANDLER = "launchevent.js"
# The handler has no page to learn this server's address from in classic Outlook on Windows,
# so the server writes its own address into the file as it serves it.
SERVER_URL_PLACEHOLDER = '"__COACH_SERVER_URL__"'
# Outlook keys an installed add-in by this id: a deployment keeps it across manifest updates.
DEFAULT_ADDIN_ID = "fe793dcc-2736-4ff0-bddf-22d0fb03e3ff"

# cli_group=None puts `outlook-manifest` at the top level of `flask --app server`.
bp = Blueprint("addin", __name__, cli_group=None)


def deployment_url() -> str:
    """The origin Outlook reaches this server at: COACH_PUBLIC_URL (required in production).

    A development server without it names the host the request was sent to. Office loads
    add-ins only over https, except from the local machine; so anything but a loopback host
    is https, even when a TLS-terminating proxy forwards plain http to us.
    """
    configured = current_app.config["PUBLIC_URL"]
    if configured:
        return configured
    hostname = urlsplit(f"//{request.host}").hostname or ""
    try:
        loopback = hostname == "localhost" or ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        loopback = False
    scheme = request.scheme if loopback else "https"
    return f"{scheme}://{request.host}"


@bp.get("/addin/<path:filename>")
def addin_file(filename: str):
    if filename == SEND_HANDLER:
        script = (FILES_DIR / SEND_HANDLER).read_text(encoding="utf-8")
        script = script.replace(SERVER_URL_PLACEHOLDER, json.dumps(deployment_url()), 1)
        return Response(script, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})
    # Browsers refuse ES modules served with any but a JavaScript type, whatever the OS's MIME table says.
    mimetype = "text/javascript" if filename.endswith((".js", ".mjs")) else None
    return send_from_directory(FILES_DIR, filename, mimetype=mimetype)


@bp.get("/.well-known/microsoft-officeaddins-allowed.json")
def allowed_addins():
    return jsonify({"allowed": [f"{deployment_url()}/addin/{SEND_HANDLER}"]})


def public_origin(url: str) -> str:
    """The deployment's https origin, or a UsageError that says what to give instead."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise click.UsageError(f"--url must be the deployment's public https URL, e.g. https://coach.example.edu, "
                               f"not {url!r}: Outlook loads add-ins only over https.")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        raise click.UsageError(f"--url must be an origin such as https://coach.example.edu, not {url!r}: Office "
                               "reads /.well-known/ at the root of the host, so the server must be served there.")
    return f"https://{parts.netloc.lower()}"


def addin_id() -> str:
    value = os.environ.get("COACH_OUTLOOK_ADDIN_ID", "").strip() or DEFAULT_ADDIN_ID
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise click.UsageError(f"COACH_OUTLOOK_ADDIN_ID must be a GUID, not {value!r}.") from None


def render_manifest(origin: str, manifest_id: str) -> str:
    template = MANIFEST_TEMPLATE.read_text(encoding="utf-8")
    return (template.replace("{{ORIGIN}}", escape(origin, {'"': "&quot;"}))
            .replace("{{ADDIN_ID}}", escape(manifest_id)))


@bp.cli.command("outlook-manifest")
@click.option("--url", required=True, help="The deployment's public https URL, e.g. https://coach.example.edu.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the manifest to this file instead of standard output.")
def outlook_manifest(url: str, output: Path | None) -> None:
    """Print the Outlook add-in manifest (XML) for the deployment at URL."""
    manifest = render_manifest(public_origin(url), addin_id())
    if output is None:
        click.echo(manifest, nl=False)
        return
    output.write_text(manifest, encoding="utf-8")
    click.echo(f"Wrote {output}: upload it in the Microsoft 365 admin center or sideload it in Outlook.", err=True)

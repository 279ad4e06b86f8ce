"""The Chrome extension's content script is the bundle of its modules as they are now:
the browser tests drive the bundle, so a module edited without rebuilding it would go
untested (scripts/content-bundle.mjs says why there is a bundle)."""

from __future__ import annotations

import shutil
import subprocess

from server.config import ROOT

from .conftest import require


def test_the_content_script_is_built_from_its_modules():
    require(shutil.which("node") is not None and (ROOT / "node_modules" / "esbuild").is_dir(),
            "Node and esbuild (npm ci at the repository's root)")
    done = subprocess.run(["node", "scripts/content-bundle.mjs", "--check"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr

"""Take the service's screenshots in docs/: the upload and draft pages, in each language.

    .venv/bin/python scripts/screenshots.py

Serves the app on a free loopback port, opens it in Debian's Chromium (Playwright, as the
browser test does) with the browser's language set to each of ours, uploads the sample record
through the page and photographs what an author sees first: docs/upload-en.png,
docs/upload-zh.png, docs/draft-en.png, docs/draft-zh.png. Needs `scripts/setup --dev`.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from publisher.service import create_app  # noqa: E402

SAMPLE = ROOT / "samples" / "001_a67d181a6c549fd0.txt"
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
# our language -> the browser locale that asks for it
LOCALES = {"en": "en-US", "zh": "zh-CN"}
VIEWPORT = {"width": 1440, "height": 960}


def serve(data: Path) -> tuple[uvicorn.Server, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(data), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        server, base = serve(Path(data))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                for lang, locale in LOCALES.items():
                    context = browser.new_context(locale=locale, viewport=VIEWPORT, device_scale_factor=1)
                    page = context.new_page()
                    page.goto(base + "/")
                    page.screenshot(path=str(DOCS / f"upload-{lang}.png"))
                    page.set_input_files("input[name=file]", str(SAMPLE))
                    page.click("button[type=submit]")
                    page.wait_for_url("**/d/*")
                    page.screenshot(path=str(DOCS / f"draft-{lang}.png"))
                    context.close()
                    print(f"docs/upload-{lang}.png, docs/draft-{lang}.png")
                browser.close()
        finally:
            server.should_exit = True


if __name__ == "__main__":
    main()

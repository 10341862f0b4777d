"""Check the built book in a real browser: headless Chromium (Debian's package), driven by Playwright.

Run after ``jupyter-book build .``::

    python .ci/check_site.py [--site _build/html] [--screenshots _build/screenshots] [--chromium /usr/bin/chromium]

The site is served over HTTP on localhost (``file://`` pages stay blank), and every chapter page is loaded with all
requests outside the site refused, so a page that needs a CDN fails here as it would offline.  For each page:

* no JavaScript error in the console, no failed request, no request that leaves the site;
* every image has loaded and every figure has alt text and a numbered caption;
* the math is rendered (MathJax replaced every formula of the page);
* every in-page interactive figure (``.wm-interactive``) changes when its slider is moved to two positions;
* every quiz question answers: a wrong option (or number) gets the "incorrect" feedback and the right option the
  "correct" one; the page's first quiz is saved answered wrongly and rightly (``quiz-<page>-wrong.png``, ``-right.png``);
* a full-page screenshot is saved in ``--screenshots`` (CI keeps them with the build).

Exits with status 1 and a list of the problems if any page fails.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import pathlib
import shutil
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no log line per request
        pass


def serve(site: pathlib.Path):
    """Start an HTTP server for ``site`` on a free localhost port; return (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def find_chromium(explicit: str | None) -> str:
    for candidate in (explicit, os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and pathlib.Path(candidate).exists():
            return candidate
    raise SystemExit("check_site: no Chromium found; install Debian's chromium package (apt-get install chromium) "
                     "or pass --chromium PATH")


_MATH_STATE = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
    const formulas = document.querySelectorAll('span.math, div.math');
    const rendered = document.querySelectorAll('mjx-container');
    const raw = [...formulas].filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 60));
    return {formulas: formulas.length, rendered: rendered.length, raw: raw};
}"""

_IMAGES = """() => [...document.querySelectorAll('article img')].map(img => ({
    src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
    alt: img.getAttribute('alt') || '', inFigure: !!img.closest('figure'),
    numbered: !!(img.closest('figure') && img.closest('figure').querySelector('.caption-number'))}))"""


def check_sliders(page, problems: list, name: str) -> int:
    """Move every in-page slider to two positions; the figure must differ between them."""
    widgets = page.query_selector_all(".wm-interactive")
    for k, widget in enumerate(widgets):
        sliders = widget.query_selector_all("input[type=range]")
        if not sliders:
            problems.append(f"{name}: interactive figure {k + 1} has no slider")
            continue
        slider = sliders[0]
        lo, hi = slider.get_attribute("min"), slider.get_attribute("max")
        states = []
        for value in (lo, hi):
            slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value)
            page.wait_for_timeout(200)
            image = widget.query_selector("img")
            states.append(image.get_attribute("src") if image else widget.inner_html())
        if states[0] == states[1]:
            problems.append(f"{name}: interactive figure {k + 1} does not change when its slider moves")
    return len(widgets)


def _feedback(question) -> str:
    fb = question.query_selector(".Feedback")
    return (fb.get_attribute("class") or "") if fb else ""


def check_quizzes(page, problems: list, name: str, shots: pathlib.Path) -> int:
    """Answer every quiz question wrongly, then rightly (multiple choice); the feedback must follow."""
    questions = page.query_selector_all("div.Quiz")
    for k, question in enumerate(questions):
        where = f"{name}: quiz question {k + 1}"
        buttons = question.query_selector_all(".MCButton")
        field = question.query_selector("input:not([type=radio])")
        if buttons:
            wrong = [b for b in buttons if b.get_attribute("data-correct") == "false"]
            right = [b for b in buttons if b.get_attribute("data-correct") == "true"]
            if not right or not wrong:
                problems.append(f"{where}: needs a right and a wrong option")
                continue
            wrong[0].click()
            if "incorrect" not in _feedback(question):
                problems.append(f"{where}: a wrong option got no 'incorrect' feedback")
            if k == 0:
                question.screenshot(path=str(shots / f"quiz-{name}-wrong.png"))
            right[0].click()
            if "correct" not in _feedback(question).replace("incorrect", ""):
                problems.append(f"{where}: the right option got no 'correct' feedback")
            if k == 0:
                question.screenshot(path=str(shots / f"quiz-{name}-right.png"))
        elif field:
            field.fill("-987654")
            field.press("Enter")
            if "incorrect" not in _feedback(question):
                problems.append(f"{where}: a wrong number got no 'incorrect' feedback")
        else:
            problems.append(f"{where}: neither options nor an answer field")
    return len(questions)


def check_page(context, url: str, base: str, name: str, shots: pathlib.Path, problems: list) -> dict:
    page = context.new_page()
    errors, outside, failed = [], [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def route(request_route):
        if request_route.request.url.startswith(base) or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    math = page.evaluate(_MATH_STATE)
    images = page.evaluate(_IMAGES)
    n_sliders = check_sliders(page, problems, name)
    n_quiz = check_quizzes(page, problems, name, shots)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    for e in errors:
        problems.append(f"{name}: JavaScript error: {e[:200]}")
    for u in sorted(set(outside)):
        problems.append(f"{name}: request outside the site (refused): {u}")
    for f in failed:
        problems.append(f"{name}: failed request: {f}")
    if math["raw"]:
        problems.append(f"{name}: {len(math['raw'])} of {math['formulas']} formulas not rendered, e.g. {math['raw'][0]!r}")
    for img in images:
        if not img["loaded"]:
            problems.append(f"{name}: image did not load: {img['src']}")
        if img["inFigure"] and not img["alt"].strip():
            problems.append(f"{name}: figure image without alt text: {img['src']}")
        if img["inFigure"] and not img["numbered"]:
            problems.append(f"{name}: figure without a numbered caption: {img['src']}")
    page.close()
    figures = sum(img["inFigure"] for img in images)
    return {"figures": figures, "formulas": math["formulas"], "sliders": n_sliders, "quiz": n_quiz}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=pathlib.Path, default=ROOT / "_build" / "html")
    ap.add_argument("--screenshots", type=pathlib.Path, default=ROOT / "_build" / "screenshots")
    ap.add_argument("--chromium", default=None, help="path of the Chromium executable (default: $CHROMIUM or PATH)")
    args = ap.parse_args(argv)
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"check_site: {args.site} holds no built book (run jupyter-book build . first)")
    pages = sorted((args.site / "chapters").glob("*.html"))
    args.screenshots.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server, base = serve(args.site)
    problems: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(args.chromium), args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            for path in pages:
                name = path.stem
                stats = check_page(context, base + f"chapters/{path.name}", base, name, args.screenshots, problems)
                print(f"{name:16s} {stats['figures']:3d} figures  {stats['formulas']:4d} formulas  "
                      f"{stats['sliders']:2d} interactive figures  {stats['quiz']:3d} quiz questions")
            browser.close()
    finally:
        server.shutdown()
    if problems:
        print(f"\n{len(problems)} problem(s):", *problems, sep="\n  ")
        return 1
    print(f"all {len(pages)} pages pass; screenshots in {args.screenshots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

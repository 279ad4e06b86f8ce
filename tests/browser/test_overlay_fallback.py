"""The fallback for browsers without the CSS Custom Highlight API: underline boxes built
from Range.getClientRects(), in the extension's own layer, that follow their words when
the editor scrolls. Chromium always has the API, so the test imports the extension's
painter, layout loop and text mapping into the page (served at the page's own origin:
the extension exposes no module to pages) and drives them directly."""

from __future__ import annotations

import pytest

from .harness import BAD_PHRASE, BAD_SENTENCE, GMAIL_URL, MODULES_PATH, open_client

DRIVE = """async ([base, sentence, phrase]) => {
  const { createOverlayPainter } = await import(base + 'content/overlay-painter.js');
  const { createLayoutLoop } = await import(base + 'content/layout-loop.js');
  const { readPlainText, rangeFor } = await import(base + 'core/dom/plain-text.js');
  const host = document.createElement('div');
  document.documentElement.append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  const ui = {
    shadow,
    element: (tag, className) => Object.assign(document.createElement(tag), { className }),
    add: (element) => shadow.appendChild(element),
  };
  const body = document.querySelector('[g_editable="true"]');
  body.focus();
  const filler = Array.from({ length: 30 }, (_, i) => 'Line ' + i + ' of an earlier paragraph.').join('\\n');
  document.execCommand('insertText', false, '👋🏽 Hello!\\n' + sentence + '\\n' + filler);
  const model = readPlainText(body);
  const offset = model.text.indexOf(phrase);
  const range = rangeFor(model, offset, phrase.length);
  const painter = createOverlayPainter(ui, createLayoutLoop());
  painter.paint({ body }, [{ range, severity: 'error' }]);
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const boxes = () => [...shadow.querySelectorAll('.underline.error')].map((box) => ({
    left: parseFloat(box.style.left), top: parseFloat(box.style.top), width: parseFloat(box.style.width) }));
  const expected = () => [...range.getClientRects()].map((r) => ({ left: r.left, top: r.bottom - 2, width: r.width }));
  await frame();
  const before = { boxes: boxes(), expected: expected(), text: range.toString() };
  body.scrollTop = 40;
  await frame();
  const scrolled = { boxes: boxes(), expected: expected() };
  body.scrollTop = body.scrollHeight;
  await frame();
  return { before, scrolled, hidden: boxes() };
}"""


def test_fallback_boxes_sit_under_the_words_and_follow_scrolling(browser):
    page = open_client(browser, GMAIL_URL.replace("#inbox", "?fixture-csp=off#inbox"))
    try:
        page.evaluate("() => fixture.openCompose({to: [], subject: 'Hi'})")
        base = f"https://mail.google.com{MODULES_PATH}"
        result = page.evaluate(DRIVE, [base, BAD_SENTENCE, BAD_PHRASE])
        assert result["before"]["text"] == BAD_PHRASE
        for state in ("before", "scrolled"):
            boxes, expected = result[state]["boxes"], result[state]["expected"]
            assert len(boxes) == len(expected) >= 1
            for box, rect in zip(boxes, expected, strict=True):
                assert box == pytest.approx(rect, abs=0.01)
        assert result["scrolled"]["boxes"][0]["top"] < result["before"]["boxes"][0]["top"]
        assert result["hidden"] == [], "words scrolled out of the editor are not underlined over other content"
    finally:
        page.close()

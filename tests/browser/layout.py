"""Layout checks for browser tests: a page must fit its screen (nothing outside the viewport,
nothing cut, nothing overlapping) and every interactive target must be finger-sized.

Each function runs one script in the page and returns a list of problems in words (empty
when the page is right), so a failing assertion says what is wrong where.
"""

from contextlib import contextmanager

MIN_TARGET_PX = 44  # WCAG 2.5.5: a touch target at least 44 × 44 CSS pixels

# The boxes that carry content: each text node (per line box) and each control or image.
# While a modal dialog is open only the dialog counts: the rest is inert behind its backdrop
# (of several, the last one opened — pages open a dialog from a dialog after it in the page).
# ``within``: a box shown over the page the same way without being a <dialog> (the kiosk's
# "Đang lấy số…" and error boxes).
_BOXES = r"""
(within) => {
  const root = (within && document.querySelector(within)) || [...document.querySelectorAll("dialog[open]")].pop() || document.body;
  const LEAVES = new Set(["IMG", "SVG", "svg", "CANVAS", "VIDEO", "INPUT", "SELECT", "TEXTAREA", "BUTTON", "IFRAME"]);
  const seen = (element) => element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  const describe = (element) => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += "#" + element.id;
    else if (element.classList.length) text += "." + [...element.classList].join(".");
    const words = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
    return words ? `${text} "${words.slice(0, 40)}"` : text;
  };
  // The part of a box its scrolling and clipping ancestors let through (``empty``: none of it;
  // ``scrolls``: a scrolling box is among them, so what it hides is reachable).
  const clipped = (element, box) => {
    let { left, top, right, bottom } = box;
    let scrolls = false;
    for (let parent = element.parentElement; parent && parent !== document.documentElement; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const edge = parent.getBoundingClientRect();
      scrolls = scrolls || /(auto|scroll)/.test(style.overflowX + style.overflowY);
      left = Math.max(left, edge.left); top = Math.max(top, edge.top);
      right = Math.min(right, edge.right); bottom = Math.min(bottom, edge.bottom);
    }
    return { left, top, right, bottom, scrolls, empty: right - left < 1 || bottom - top < 1 };
  };
  const boxes = [];
  const add = (element, box, kind) => {
    if (box.width < 1 || box.height < 1) return;
    boxes.push({ element, kind, box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
                 shown: clipped(element, box), name: describe(element) });
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      if (!element || !seen(element)) return NodeFilter.FILTER_REJECT;
      if (node.nodeType === Node.ELEMENT_NODE && element.closest("svg") && element.tagName !== "svg") return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.textContent.trim() || node.parentElement.closest("button, select, textarea, option")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      // A text box is as tall as its font's ascent and descent; big type set solid (line-height
      // ~1) spills past its line box without any glyph touching the next line: keep the line box.
      const lineHeight = parseFloat(getComputedStyle(node.parentElement).lineHeight);
      for (const line of range.getClientRects()) {
        const spill = lineHeight && line.height > lineHeight ? (line.height - lineHeight) / 2 : 0;
        add(node.parentElement, new DOMRect(line.left, line.top + spill, line.width, line.height - 2 * spill), "text");
      }
    } else if (LEAVES.has(node.tagName) && !(node.tagName === "INPUT" && node.type === "hidden")) {
      add(node, node.getBoundingClientRect(), "control");
    }
  }
  return boxes;
}
"""

_FIT = r"""
([boxes, scrolls]) => {
  const problems = [];
  const page = document.scrollingElement;
  // A page that may scroll down (a phone page) is checked over its whole length, from its top.
  const innerHeight = scrolls ? Math.max(window.innerHeight, page.scrollHeight) : window.innerHeight;
  if (page.scrollWidth > innerWidth + 1 || page.scrollHeight > innerHeight + 1)
    problems.push(`the page scrolls: ${page.scrollWidth}×${page.scrollHeight} in a ${innerWidth}×${innerHeight} viewport`);
  const px = (box) => `${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`;
  for (const item of boxes) {
    const { box, shown } = item;
    if (shown.empty) {
      if (!shown.scrolls) problems.push(`${item.name} is hidden by a clipping box`);
      continue;
    }
    if (!shown.scrolls && (shown.right - shown.left < box.right - box.left - 1 || shown.bottom - shown.top < box.bottom - box.top - 1))
      problems.push(`${item.name} is cut: ${px(box)} shows only ${px(shown)}`);
    if (shown.left < -1 || shown.top < -1 || shown.right > innerWidth + 1 || shown.bottom > innerHeight + 1)
      problems.push(`${item.name} is outside the viewport: ${px(shown)}`);
  }
  // Text cut by its own box (overflow hidden, an ellipsis): the words are lost.
  for (const element of new Set(boxes.filter((item) => item.kind === "text").map((item) => item.element))) {
    const style = getComputedStyle(element);
    if (style.overflowX !== "visible" && element.scrollWidth > element.clientWidth + 1)
      problems.push(`${nameOf(element)} is cut short: ${element.scrollWidth} px of text in ${element.clientWidth} px`);
  }
  function nameOf(element) { return boxes.find((item) => item.element === element).name; }
  const overlapping = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const shownBoxes = boxes.filter((item) => !item.shown.empty);
  for (let i = 0; i < shownBoxes.length; i++) {
    for (let j = i + 1; j < shownBoxes.length; j++) {
      const a = shownBoxes[i], b = shownBoxes[j];
      if (a.element === b.element || a.element.contains(b.element) || b.element.contains(a.element)) continue;
      if (overlapping(a.shown, b.shown)) problems.push(`${a.name} overlaps ${b.name}`);
    }
  }
  return problems;
}
"""

_TARGETS = r"""
(minimum) => {
  const root = [...document.querySelectorAll("dialog[open]")].pop() || document.body;
  const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], ' +
    '[role="radio"], [role="checkbox"], [role="tab"], [tabindex]:not([tabindex="-1"])';
  const problems = [];
  for (const element of root.querySelectorAll(selector)) {
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    // A checkbox or radio is pressed through its label too: the label is its target.
    const label = ["checkbox", "radio"].includes(element.type) ? element.closest("label") || element.labels?.[0] : null;
    const box = (label || element).getBoundingClientRect();
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const words = (element.innerText || element.value || element.getAttribute("aria-label") || element.name || "").trim();
      problems.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""} "${words.slice(0, 30)}" ` +
                    `is ${Math.round(box.width)}×${Math.round(box.height)} px`);
    }
  }
  return problems;
}
"""


def layout_problems(page, *, within: str | None = None, scrolls: bool = False) -> list[str]:
    """What does not fit: a page that scrolls, anything outside the viewport or cut by a box,
    text cut short, and content boxes (text lines, controls, images) that overlap.
    ``within``: only the box this selector finds counts (shown over the page, like a dialog);
    ``scrolls=True``: the page may scroll down (a phone page), nothing may stick out sideways."""
    if scrolls:
        page.evaluate("() => scrollTo(0, 0)")
    boxes = page.evaluate_handle(_BOXES, within)
    try:
        return page.evaluate(_FIT, [boxes, scrolls])
    finally:
        boxes.dispose()


def small_targets(page, minimum: int = MIN_TARGET_PX) -> list[str]:
    """Every visible interactive element smaller than ``minimum`` × ``minimum`` CSS pixels
    (a checkbox or radio is measured by its label)."""
    return page.evaluate(_TARGETS, minimum)


@contextmanager
def sized_page(browser, width: int, height: int, locale: str = "vi-VN"):
    """A page in a fresh browser context with a ``width`` × ``height`` viewport."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    try:
        yield context.new_page()
    finally:
        context.close()

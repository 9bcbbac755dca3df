"""Every page, as every persona who sees it, in each language, at a phone's width and a desktop's:
WCAG 2.2 AA in a real browser.

The pages and personas are the inventory's (site_pages.py), over its seeded network. Each page is
opened in headless Chromium, its language chosen by the language cookie, and held to:

- axe-core, with the WCAG 2.0, 2.1 and 2.2 A and AA rules and axe's best practices (landmarks,
  heading order): no violation, of any impact;
- its links, buttons and form controls at rest and in their interactive states, forced through
  the DevTools protocol (CSS.forcePseudoState): hovered, and focused from the keyboard (:focus and
  :focus-visible). In each state their text keeps a contrast of 4.5:1 with what is under it (3:1
  for large text), and a focused one shows a ring of 3:1 against what is around it (WCAG 1.4.3,
  1.4.11, 2.4.7). axe sees each page as it loads, and leaves for a person to review the text whose
  background it cannot tell: a "Block this member" button was once white on white and passed;
- its first load: the HTML, and each stylesheet and script it names, as the server sends them, no
  more than 100 kB (site_pages.FIRST_LOAD_LIMIT; test_site_pages.py checks the same with the test
  client, every page in seconds);
- the language asked: its <html lang>.

What was audited is not audited again at the same width and in the same language: a page whose
<main> and whose header, menu and footer were both audited already (two vouched members see the
same About page) is skipped, and a page whose header, menu and footer were is audited without them
(axe's page-wide rules still run: a title, one main landmark, ids unique across the page). A
control whose place and classes, from the page down to its own parts, were probed already is not
probed again: the same rules give it the same colours. The clock stands still from the seed on, so
that "5 minutes ago" reads the same to everyone. Each persona's browsers are logged in once,
through their cookies; each page is fetched once per persona and language and opened at both
widths side by side, four personas and languages at a time (AXE_WORKERS).

With JavaScript switched off, each page still loads, shows its heading, and every form and action
on it works as a plain link or form (htmx only enhances them).

A report of every audit and the time each part took is written to var/screenshots/axe/
report.json; a page with a problem is photographed beside it. AXE_SCREENSHOTS=1 photographs every
page audited in English; AXE_WIDTHS=375px and AXE_LANGUAGES=es narrow a run by hand.
"""

import asyncio
import json
import os
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.async_api import async_playwright

from mutualaid.aid.tests import test_browser_loop as loop
from mutualaid.aid.tests.test_browser_loop import CHROMIUM, CHROMIUM_ARGS, PHONE

from . import site_pages
from .site_pages import FIRST_LOAD_LIMIT, HANDLES, PERSONAS, page_parts

axe_source = loop.axe_source

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots" / "axe"
WIDTHS = {
    "375px": PHONE,
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The header, menu and footer every page shares: left out of axe's run once audited.
CHROME = ["body > header", "body > footer"]
HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"")

RUN_AXE = """async ([tags, exclude]) => {
  const late = new Promise((_, fail) => setTimeout(() => fail(new Error("axe.run hung")), 30000));
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const context = exclude.length ? {exclude: exclude.map(selector => [selector])} : document;
  const result = await Promise.race([axe.run(context, options), late]);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

# The elements a person reaches with a pointer or the keyboard: each is marked with its index, and
# described by its place and classes, from the page down to its own parts (the rules that colour
# it read nothing else: no style attributes, which the CSP forbids), and whether it shows.
MARK_INTERACTIVE = """() => {
  const ATTRIBUTES = ["type", "role", "open", "disabled", "hidden", "checked", "selected",
    "aria-current", "aria-expanded", "aria-pressed", "aria-selected", "aria-invalid"];
  const shape = node => node.localName + [...node.classList].map(c => "." + c).join("")
    + ATTRIBUTES.filter(name => node.hasAttribute(name))
      .map(name => `[${name}=${node.getAttribute(name)}]`).join("");
  const inside = node => shape(node) + "(" + [...node.children].map(inside).join(",") + ")";
  const found = document.querySelectorAll(
    "a[href], button, summary, select, textarea, input:not([type=hidden]), [tabindex]");
  const signatures = [];
  for (const element of found) {
    if (element.tabIndex < 0 || element.disabled) continue;
    element.setAttribute("data-state-probe", signatures.length);
    const up = [];
    for (let node = element.parentElement; node; node = node.parentElement) up.push(shape(node));
    const box = element.getBoundingClientRect();
    signatures.push(up.reverse().join(">") + ">" + inside(element) + (box.width ? "" : " unseen"));
  }
  return signatures;
}"""

# The marked elements named by ``indices``, as they are now: their text's contrast with what is
# under it, and their focus ring (the outline) against what is around them. Backgrounds and
# opacity are composited from the element up to the page, as the browser paints them (a box
# placed over another that is not its ancestor is not seen; no page here puts text so).
MEASURE_STATE = """indices => {
  const parse = value => {
    const m = /rgba?\\(([^)]*)\\)/.exec(value || "");
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map(i => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a)
      .concat([a]);
  };
  const WHITE = [255, 255, 255, 1];
  const seen = element => {
    let text = parse(getComputedStyle(element).color), back = [0, 0, 0, 0], image = false;
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const paint = parse(style.backgroundColor) || [0, 0, 0, 0];
      image = image || style.backgroundImage !== "none";
      text = over(text, paint);
      back = over(back, paint);
      const opacity = Number(style.opacity);
      if (opacity < 1) { text[3] *= opacity; back[3] *= opacity; }
    }
    return {text: over(text, WHITE), back: over(back, WHITE), image};
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return Math.round((x + 0.05) / (y + 0.05) * 100) / 100;
  };
  const describe = element => {
    const classes = [...element.classList].map(c => "." + c).join("");
    const words = (element.innerText || element.value || element.getAttribute("aria-label") || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${element.localName}${element.id ? "#" + element.id : ""}${classes} "${words}"`;
  };
  // The element, and each element inside it that holds text of its own.
  const texts = element => {
    if (["select", "input", "textarea"].includes(element.localName)) return [element];
    return [element, ...element.querySelectorAll("*")].filter(node =>
      [...node.childNodes].some(child => child.nodeType === 3 && child.textContent.trim()));
  };
  // What is painted around the element's box: its parent's background, or for a box placed
  // out of the flow (position absolute or fixed), whatever lies just beside it on the screen.
  const surroundings = (element, box, style) => {
    if (["absolute", "fixed"].includes(style.position)) {
      const gap = parseFloat(style.outlineOffset || 0) + parseFloat(style.outlineWidth || 0) / 2;
      const [x, y] = [box.right + gap, box.top + box.height / 2];
      const under = document.elementsFromPoint(x, y).find(node => !element.contains(node));
      if (under) return seen(under).back;
    }
    return element.parentElement ? seen(element.parentElement).back : WHITE;
  };
  const large = style => {
    const size = parseFloat(style.fontSize), weight = Number(style.fontWeight) || 400;
    return size >= 24 || (size >= 18.66 && weight >= 700);
  };
  return indices.map(index => {
    const element = document.querySelector(`[data-state-probe="${index}"]`);
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const shown = box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && box.right > 0 && box.bottom > -window.scrollY;
    const around = surroundings(element, box, style);
    const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      ? ratio(parse(style.outlineColor) || around, around) : null;
    const contrasts = texts(element).map(node => {
      const colours = seen(node), nodeStyle = getComputedStyle(node);
      return {
        node: node === element ? "" : describe(node),
        contrast: ratio(colours.text, colours.back),
        least: large(nodeStyle) ? 3 : 4.5,
        image: colours.image,
        colours: `${nodeStyle.color} on rgb(${colours.back.slice(0, 3).map(Math.round)})`,
      };
    });
    return {index, what: describe(element), shown, ring, shadow: style.boxShadow, contrasts};
  });
}"""

# The stylesheets and scripts the page names.
ASSETS = """() => [...document.querySelectorAll("link[rel~=stylesheet][href], script[src]")]
  .map(element => element.href || element.src)"""


class Audit:
    """Everything found, by kind, and how long each part took (summed over the workers)."""

    def __init__(self):
        self.problems = defaultdict(list)  # kind -> lines
        self.seconds = defaultdict(float)
        self.counts = defaultdict(int)
        self.weights: list[dict] = []

    @contextmanager
    def time(self, part):
        start = time.monotonic()
        try:
            yield
        finally:
            self.seconds[part] += time.monotonic() - start

    def report(self, **summary) -> str:
        summary = {
            **self.counts,
            "busy seconds, summed over the workers": {
                part: round(seconds, 1) for part, seconds in self.seconds.items()
            },
            **summary,
        }
        heaviest = max(self.weights, key=lambda weight: weight["bytes"], default=None)
        if heaviest:
            summary["heaviest first load"] = heaviest
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "report.json").write_text(
            json.dumps(
                {"summary": summary, "problems": self.problems, "weights": self.weights}, indent=1
            )
        )
        return json.dumps(summary)

    def failures(self) -> str:
        return "\n".join(
            f"{kind} ({len(lines)}):\n  " + "\n  ".join(lines)
            for kind, lines in self.problems.items()
            if lines
        )


@pytest.fixture
def network(transactional_db):
    """The inventory's network, written before the test's event loop runs (Django refuses the
    ORM inside one)."""
    return site_pages.seed()


@pytest.fixture
def still_clock(network):
    """From the seed on the clock stands still: a page says the same "5 minutes ago" to every
    persona, so that the same page is the same HTML."""
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        yield


@pytest.fixture
def logins(network, still_clock, live_server) -> dict[str, list[dict]]:
    """Each persona's log-in, made once with the test client, as browser cookies."""
    cookies = {}
    for persona in PERSONAS:
        member = network.members.get(persona)
        cookies[persona] = []
        if member is not None:
            client = Client()
            client.force_login(member)
            value = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies[persona].append(
                {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}
            )
    return cookies


@pytest.fixture
def plan(network, logins):
    """Each persona's pages, with their addresses (made after the log-ins, which a password reset
    link's token depends on)."""
    return {
        persona: [(entry, network.path(entry)) for entry in network.visits(persona)]
        for persona in PERSONAS
    }


def _workers() -> int:
    return int(os.environ.get("AXE_WORKERS", "4"))


async def _browser(playwright):
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def _context(browser, live_server, cookies, *, device, language, javascript=True):
    context = await browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, **device
    )
    language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
    await context.add_cookies([*cookies, {**language_cookie, "url": live_server.url}])
    return context


async def _in_turn(jobs, run, workers):
    """``run`` each of ``jobs``, ``workers`` at a time."""
    queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker():
        while not queue.empty():
            await run(queue.get_nowait())

    await asyncio.gather(*(worker() for _ in range(workers)))


def test_every_page_meets_wcag_22_aa_as_every_persona(plan, logins, live_server, axe_source):
    audit = Audit()
    started = time.monotonic()
    widths = os.environ.get("AXE_WIDTHS", ",".join(WIDTHS)).split(",")
    languages = os.environ.get("AXE_LANGUAGES", ",".join(LANGUAGES)).split(",")
    photograph = os.environ.get("AXE_SCREENSHOTS") == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:  # the photographs of the last run
        for old in SCREENSHOTS.glob(f"{width}-*.png"):
            old.unlink()

    async def sweep():
        async with async_playwright() as playwright:
            browser = await _browser(playwright)
            # What each width and language has audited: <main>s, headers and footers, controls.
            seen = {
                (width, language): {"mains": set(), "chromes": set(), "controls": set()}
                for width in widths
                for language in languages
            }

            async def one_persona_in_one_language(job):
                persona, language = job
                auditors = []
                for width in widths:
                    context = await _context(
                        browser,
                        live_server,
                        logins[persona],
                        device=WIDTHS[width],
                        language=language,
                    )
                    await context.add_init_script(axe_source)
                    auditors.append(
                        await Auditor.open(
                            context,
                            (persona, width, language),
                            audit,
                            seen[width, language],
                            photograph=photograph and language == "en",
                        )
                    )
                try:
                    for entry, path in plan[persona]:
                        # Fetched once, as the server sends it, for every width.
                        with audit.time("fetching"):
                            fetched = await auditors[0].context.request.get(path)
                            html = await fetched.text()
                        label = f"{entry.key} as {persona}, {language}"
                        audit.counts["pages fetched"] += 1
                        if fetched.status != entry.status:
                            audit.problems["Pages that do not answer as the inventory says"].append(
                                f"{label}: GET {path} answered {fetched.status}, not {entry.status}"
                            )
                            continue
                        await asyncio.gather(
                            *(auditor.visit(entry, fetched, html) for auditor in auditors)
                        )
                finally:
                    for auditor in auditors:
                        await auditor.close()

            # A job is one persona in one language; whichever job meets a page first audits it.
            jobs = [(persona, language) for persona in PERSONAS for language in languages]
            await _in_turn(jobs, one_persona_in_one_language, _workers())
            await browser.close()

    asyncio.run(sweep())
    summary = audit.report(wall_seconds=round(time.monotonic() - started, 1))
    print(f"\nThe audit: {summary}")
    assert not audit.failures(), f"{audit.failures()}\n\n{summary}"


class Auditor:
    """One persona's browser at one width, in one language: audits the pages it is handed."""

    @classmethod
    async def open(cls, context, where, audit, seen, *, photograph):
        self = cls()
        self.context, self.audit, self.seen, self.photograph = context, audit, seen, photograph
        self.persona, self.width, self.language = where
        self.page = await context.new_page()
        self.cdp = await context.new_cdp_session(self.page)
        # For CSS.forcePseudoState; enabled once, before the first page (enabling them on a page
        # takes the browser half a second).
        await self.cdp.send("DOM.enable")
        await self.cdp.send("CSS.enable")
        # URL -> its response the first time this browser fetched it (then cached), then its
        # size as read and as sent.
        self.assets = {}
        self.errors = []
        self.page.on("response", self._keep_asset)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        return self

    def _keep_asset(self, response):
        if response.request.resource_type in ("stylesheet", "script") and response.ok:
            self.assets.setdefault(response.url, response)

    async def close(self):
        where = f"as {self.persona}, {self.language}, {self.width}"
        self.audit.problems["Script errors"] += [f"{where}: {error}" for error in self.errors]
        await self.cdp.detach()
        await self.context.close()

    async def visit(self, entry, fetched, html):
        """Open the page ``fetched`` shows, unless what it shows was audited already."""
        audit, seen = self.audit, self.seen
        label = f"{entry.key} as {self.persona}, {self.language}, {self.width}"
        main, chrome = page_parts(html, HANDLES.get(self.persona))
        if main in seen["mains"] and chrome in seen["chromes"]:
            audit.counts["pages skipped, audited already"] += 1
            return
        seen["mains"].add(main)
        known_chrome = chrome in seen["chromes"]
        seen["chromes"].add(chrome)
        audit.counts["pages audited"] += 1

        with audit.time("loading"):
            response = await self.page.goto(fetched.url)
            html = await response.text()
        if response.status != entry.status:
            audit.problems["Pages that do not answer as the inventory says"].append(
                f"{label}: GET {fetched.url} answered {response.status}, not {entry.status}"
            )
            return
        found = HTML_LANG.search(html)
        if not found or found.group(1) != self.language:
            audit.problems["Pages not in the language asked"].append(
                f"{label}: <html lang={found and found.group(1)}>"
            )
        await self._first_load(response, html, label)
        with audit.time("axe"):
            exclude = CHROME if known_chrome else []
            violations = await self.page.evaluate(RUN_AXE, [AXE_TAGS, exclude])
        audit.problems["axe-core violations"] += [
            f"{label}: [{v['impact']}] {v['id']}: {v['help']} at "
            + "; ".join(f"{n['target']} ({n['summary']})" for n in v["nodes"][:5])
            for v in violations
        ]
        with audit.time("interactive states"):
            states = await _interactive_states(self.page, self.cdp, seen["controls"], audit)
        audit.problems["Interactive states"] += [f"{label}: {line}" for line in states]
        if self.photograph or violations or states:
            with audit.time("screenshots"):
                words = f"{self.width} {self.language} {entry.key} {self.persona}".lower()
                name = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
                await self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    async def _first_load(self, response, html, label):
        """The page's HTML and each stylesheet and script it names, as the server sent them (each
        file's first fetch in this browser: the next pages find it in the browser's cache)."""
        named = await self.page.evaluate(ASSETS)
        missing = [url for url in named if url not in self.assets]
        if missing:
            self.audit.problems["First load"].append(f"{label}: not fetched: {missing}")
            return
        for url in named:
            if not isinstance(self.assets[url], tuple):  # fetched for this page: read it now
                asset = self.assets[url]
                sent = (await asset.request.sizes())["responseBodySize"]
                self.assets[url] = (len(await asset.body()), sent)
        page_bytes = len(html.encode())
        sent = (await response.request.sizes())["responseBodySize"]
        total = page_bytes + sum(self.assets[url][0] for url in named)
        self.audit.weights.append(
            {
                "page": label,
                "bytes": total,
                "sent": sent + sum(self.assets[url][1] for url in named),
            }
        )
        if total > FIRST_LOAD_LIMIT:
            self.audit.problems["First loads over 100 kB"].append(
                f"{label}: {total / 1024:.1f} kB (its HTML {page_bytes / 1024:.1f} kB, "
                f"and {', '.join(named)})"
            )


async def _interactive_states(page, cdp, probed, audit) -> list[str]:
    """Each link, button and control not probed before: at rest, hovered, then focused. What is
    hard to read or to see in each state."""
    signatures = await page.evaluate(MARK_INTERACTIVE)
    new = [index for index, signature in enumerate(signatures) if signature not in probed]
    audit.counts["controls probed"] += len(new)
    if not new:
        return []
    probed.update(signatures[index] for index in new)
    root = (await cdp.send("DOM.getDocument", {"depth": 0}))["root"]["nodeId"]
    nodes = (
        await cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-state-probe]"})
    )["nodeIds"]
    if len(nodes) != len(signatures):  # htmx swapped a part in meanwhile: left to another page
        probed.difference_update(signatures[index] for index in new)
        return []

    async def force(pseudo_classes):
        await asyncio.gather(
            *(
                cdp.send(
                    "CSS.forcePseudoState",
                    {"nodeId": nodes[index], "forcedPseudoClasses": pseudo_classes},
                )
                for index in new
            )
        )

    at_rest = {row["index"]: row for row in await page.evaluate(MEASURE_STATE, new)}
    found = _hard_to_read("at rest", at_rest.values())
    for state, pseudo_classes in (("hovered", ["hover"]), ("focused", ["focus", "focus-visible"])):
        await force(pseudo_classes)
        rows = await page.evaluate(MEASURE_STATE, new)
        await force([])
        found += _hard_to_read(state, rows)
        if state == "focused":
            found += _focus_unseen(rows, at_rest)
    return list(dict.fromkeys(found))


def _hard_to_read(state, rows) -> list[str]:
    found = []
    for row in rows:
        if not row["shown"]:
            continue
        for text in row["contrasts"]:
            if text["contrast"] < text["least"] and not text["image"]:
                inside = f", its {text['node']}" if text["node"] else ""
                found.append(
                    f"{state}, {row['what']}{inside}: text contrast {text['contrast']}:1 "
                    f"({text['colours']}), below {text['least']}:1"
                )
    return found


def _focus_unseen(rows, at_rest) -> list[str]:
    found = []
    for row in rows:
        if not row["shown"]:
            continue
        if row["ring"] is not None and row["ring"] < 3:
            found.append(
                f"focused, {row['what']}: its focus ring has a contrast of {row['ring']}:1 with "
                "what is around it, below 3:1"
            )
        elif row["ring"] is None and row["shadow"] == at_rest[row["index"]]["shadow"]:
            found.append(f"focused, {row['what']}: nothing shows it has the focus")
    return found


# JavaScript off ----------------------------------------------------------------------------

# What a page offers with JavaScript off: its heading, and each control that would do nothing
# without a script (a button outside any form, an htmx request with no plain link or form doing
# the same, a form with nothing to send it).
WITHOUT_SCRIPTS = """() => {
  const problems = [];
  const shown = element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
  };
  const describe = element =>
    `<${element.localName}${element.id ? " id=" + element.id : ""}> "${
      (element.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40)}"`;
  const heading = document.querySelector("main h1");
  if (!heading || !shown(heading)) problems.push("no heading (h1) shows in <main>");
  for (const button of document.querySelectorAll("button")) {
    if (button.type === "button") problems.push(`${describe(button)} works only with a script`);
    else if (!button.form) problems.push(`${describe(button)} is in no form`);
  }
  for (const form of document.forms) {
    const sends = form.querySelector(
      "button:not([type=button]), input[type=submit], input[type=image]");
    const fields = [...form.elements].filter(field => field.type !== "hidden");
    if (!sends && fields.length !== 1) {  // one field alone is sent with Enter
      problems.push(`${describe(form)}: a form with no button to send it`);
    }
  }
  const asks = "[hx-get], [hx-post], [hx-put], [hx-patch], [hx-delete]";
  for (const element of document.querySelectorAll(asks)) {
    if (element.closest("[hidden]")) continue;  // a poll, not a control
    const url = ["get", "post", "put", "patch", "delete"]
      .map(verb => element.getAttribute("hx-" + verb)).find(value => value !== null);
    const plain = element.closest("form, a[href]");
    const target = plain && new URL(
      plain.getAttribute("action") || plain.getAttribute("href") || "", location.href);
    if (!plain || target.pathname !== new URL(url, location.href).pathname) {
      problems.push(`${describe(element)} asks ${url} with htmx, and nothing plain does the same`);
    }
  }
  return problems;
}"""


def test_every_page_works_without_javascript(plan, logins, live_server):
    problems, started = [], time.monotonic()
    counts = defaultdict(int)

    async def sweep():
        async with async_playwright() as playwright:
            browser = await _browser(playwright)
            mains, chromes = set(), set()  # as in the audit: what was checked is not again

            async def one_persona(persona):
                context = await _context(
                    browser,
                    live_server,
                    logins[persona],
                    device=PHONE,
                    language="en",
                    javascript=False,
                )
                page = await context.new_page()
                for entry, path in plan[persona]:
                    label = f"{entry.key} as {persona}"
                    fetched = await context.request.get(path)
                    counts["pages fetched"] += 1
                    if fetched.status != entry.status:
                        problems.append(f"{label}: answered {fetched.status}")
                        continue
                    main, chrome = page_parts(await fetched.text(), HANDLES.get(persona))
                    if main in mains and chrome in chromes:
                        continue
                    mains.add(main)
                    chromes.add(chrome)
                    counts["pages checked"] += 1
                    response = await page.goto(fetched.url)
                    if response.status != entry.status:
                        problems.append(f"{label}: answered {response.status}")
                        continue
                    found = await page.evaluate(WITHOUT_SCRIPTS)
                    problems.extend(f"{label}: {problem}" for problem in found)
                await context.close()

            await _in_turn(PERSONAS, one_persona, _workers())
            await browser.close()

    asyncio.run(sweep())
    print(f"\nWithout JavaScript: {dict(counts)} in {time.monotonic() - started:.1f} s")
    assert not problems, "Without JavaScript:\n  " + "\n  ".join(problems)

"""The web chat widget on its demo page, in the system Chromium, against the real bot.

The demo page is served by `bot/widget_demo.py` on WIDGET_DEMO_PORT, the one origin the
test bot accepts (see tests/conftest.py). There is no outside network: the quick exit's
weather site is answered locally.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bot import feedback, usage
from bot.db.engine import new_session
from bot.db.models import UsageCount
from bot.geo import lookup_zip
from bot.widget_demo import WIDGET_DIR, start_demo_server
from tests.conftest import ARTIFACTS, PROJECT_ROOT, WIDGET_DEMO_ORIGIN, WIDGET_DEMO_PORT, _free_port
from tests.test_sms import post, reports_about, texts

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
EXIT_PAGE = re.compile(r"^https://www\.weather\.gov/")
HOTLINES = [
    ("SAMHSA National Helpline", "1-800-662-4357"),
    ("988 Suicide & Crisis Lifeline", "988"),
    ("Never Use Alone", "1-800-484-3731"),
    ("Poison Control", "1-800-222-1222"),
]
REPLY_WAIT_MS = 30_000
SHADOW = "document.getElementById('hrbot-widget').shadowRoot"
STORED = "[localStorage.getItem('hrbot.session'), sessionStorage.getItem('hrbot.history')]"


@dataclass
class Visit:
    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def demo(bot_server):
    server = start_demo_server(port=WIDGET_DEMO_PORT, bot_url=bot_server["url"])
    yield f"{WIDGET_DEMO_ORIGIN}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def visit(browser):
    """Open a page in a fresh browser profile; `config` is merged into the page's widget config."""
    contexts = []

    def open_page(url: str, viewport: dict = DESKTOP, config: dict | None = None, bypass_csp: bool = False) -> Visit:
        context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        opened = Visit(page)
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.route(
            EXIT_PAGE, lambda route: route.fulfill(body="<title>Weather</title>Weather", content_type="text/html")
        )
        if config:
            # Merged when the page sets its config. (Rewriting the page with page.route instead would
            # make Chromium treat it as a public page and refuse its requests to the bot on loopback.)
            page.add_init_script(
                f"""{{
                    let config;
                    Object.defineProperty(window, "HarmReductionBot", {{
                        get: () => config,
                        set: (given) => {{ config = Object.assign(given, {json.dumps(config)}); }},
                    }});
                }}"""
            )
        page.goto(url)
        return opened

    yield open_page
    for context in contexts:
        context.close()


def focused(page: Page) -> str | None:
    """What has focus inside the widget: a control's label, or its class."""
    return page.evaluate(
        f"""() => {{
            const element = {SHADOW}.activeElement;
            if (!element) return null;
            return element.getAttribute('aria-label') || element.id || element.textContent.trim() || element.className;
        }}"""
    )


def open_with_keyboard(page: Page) -> None:
    """Tab from the top of the page to the launcher, then Enter."""
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused(page) == "Chat":
            break
    else:
        pytest.fail("the Chat button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert focused(page) == "hrbot-input"


def bot_count(page: Page) -> int:
    return page.evaluate(f"() => {SHADOW}.querySelectorAll('.from-bot').length")


def ask(page: Page, text: str):
    """Type a message, send it with Enter, and return the bot's answer."""
    before = bot_count(page)
    page.get_by_role("textbox", name="Your message").fill(text)
    page.get_by_role("textbox", name="Your message").press("Enter")
    return reply_after(page, before)


def reply_after(page: Page, before: int):
    page.wait_for_function(f"n => {SHADOW}.querySelectorAll('.from-bot').length > n", arg=before, timeout=REPLY_WAIT_MS)
    return page.locator(".from-bot").last


def session_id(page: Page) -> str | None:
    return page.evaluate("localStorage.getItem('hrbot.session')")


def tracker_texts(bot_server, sender: str) -> list[str]:
    tracker = requests.get(
        f"{bot_server['url']}/conversations/{sender}/tracker", params={"token": bot_server["token"]}, timeout=10
    ).json()
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def test_keyboard_conversation_with_sources_links_and_quick_replies(visit, demo):
    page = (opened := visit(demo)).page
    expect(page.locator(".from-bot")).to_have_count(1)  # the greeting from the config
    open_with_keyboard(page)
    page.keyboard.type("is narcan free in ohio")
    page.keyboard.press("Enter")
    expect(page.locator(".from-user .bubble").last).to_have_text("is narcan free in ohio")
    answer = reply_after(page, 1)
    expect(answer).to_contain_text("Ohio")
    sources = answer.locator("details.sources")
    expect(sources.locator("summary")).to_have_text(re.compile(r"^Sources \(\d\)$"))
    link = sources.locator("a").first
    expect(link).to_be_hidden()  # collapsed until asked for
    sources.locator("summary").click()
    expect(link).to_be_visible()
    assert link.get_attribute("href").startswith("http")
    page.get_by_role("textbox", name="Your message").focus()
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(answer.locator("ul li").first).to_be_visible()  # "Next step:" bullets became a list

    # The last quick reply is one Shift+Tab from the message box.
    quick_replies = answer.get_by_role("group", name="Suggested replies").get_by_role("button")
    titles = quick_replies.all_inner_texts()
    assert "How to use naloxone" in titles
    page.keyboard.press("Shift+Tab")
    assert focused(page) == titles[-1]
    page.get_by_role("button", name="How to use naloxone").click()
    expect(page.locator(".from-user .bubble").last).to_have_text("How to use naloxone")
    expect(page.get_by_role("group", name="Suggested replies")).to_have_count(0)  # answered, so gone
    assert focused(page) == "hrbot-input"
    follow_up = reply_after(page, 2)
    expect(follow_up.locator("ol li").first).to_be_visible()  # numbered steps
    page.screenshot(path=ARTIFACTS / "widget-desktop.png")
    assert opened.errors == [] and opened.dialogs == []


def test_messages_are_shown_as_text_never_run(visit, demo):
    greeting = "<img src=x onerror=alert(2)> <b>bold?</b> javascript:alert(3)"
    opened = visit(demo, config={"greeting": greeting})
    page = opened.page
    page.get_by_role("button", name="Chat", exact=True).click()
    greeting_bubble = page.locator(".from-bot .bubble").first  # bot text goes through the same renderer
    expect(greeting_bubble).to_have_text(greeting)
    expect(greeting_bubble.locator("a")).to_have_count(0)  # only http(s) URLs become links
    for attack in ("<img src=x onerror=alert(1)>", "<script>window.pwned=1</script>"):
        ask(page, attack)
        expect(page.locator(".from-user .bubble").last).to_have_text(attack)
    assert page.evaluate(f"() => {SHADOW}.querySelectorAll('.log img, .log script, .log b').length") == 0
    assert page.evaluate("window.pwned") is None
    assert opened.dialogs == [] and opened.errors == []


def test_reload_continues_the_same_conversation(visit, demo, bot_server):
    page = visit(demo).page
    page.get_by_role("button", name="Chat", exact=True).click()
    ask(page, "is narcan free in ohio")
    before_reload = session_id(page)
    assert uuid.UUID(before_reload)

    page.reload()
    expect(page.get_by_role("dialog")).to_be_visible()  # still open
    expect(page.locator(".from-user .bubble")).to_have_text(["is narcan free in ohio"])
    expect(page.locator(".from-bot").last.locator("details.sources summary")).to_contain_text("Sources (")
    page.get_by_role("button", name="More", exact=True).click()  # the quick replies came back too
    answer = reply_after(page, 2)
    expect(answer).to_contain_text("Ohio")  # the bot still knows the state: same conversation
    assert session_id(page) == before_reload
    assert tracker_texts(bot_server, before_reload) == ["is narcan free in ohio", "/ask_more"]


def test_start_over_begins_a_new_session(visit, demo, bot_server):
    page = visit(demo).page
    page.get_by_role("button", name="Chat", exact=True).click()
    ask(page, "is narcan free in ohio")
    first = session_id(page)

    page.get_by_role("button", name="Start over").focus()
    page.keyboard.press("Enter")
    second = session_id(page)
    assert second != first and uuid.UUID(second)
    expect(page.locator(".log .message")).to_have_count(1)  # just the greeting
    assert page.evaluate("sessionStorage.getItem('hrbot.history')") is None
    assert focused(page) == "hrbot-input"
    ask(page, "where can i get naloxone in texas")
    assert tracker_texts(bot_server, second) == ["where can i get naloxone in texas"]
    assert tracker_texts(bot_server, first) == ["is narcan free in ohio"]


@pytest.mark.parametrize("how", ["button", "Escape twice"])
def test_quick_exit_clears_everything_and_leaves(visit, demo, how):
    page = visit(demo).page
    page.get_by_role("button", name="Chat", exact=True).click()
    ask(page, "is narcan free in ohio")
    assert None not in page.evaluate(STORED)

    if how == "button":
        page.get_by_role("button", name="Quick exit").click()
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(EXIT_PAGE)
    page.go_back()
    assert not page.url.startswith(WIDGET_DEMO_ORIGIN)  # Back does not lead to the chat

    page.goto(f"{WIDGET_DEMO_ORIGIN}/widget/hrbot-widget.css")  # same origin, no widget running
    assert page.evaluate(STORED) == [None, None]
    assert page.evaluate("sessionStorage.getItem('hrbot.open')") is None


def test_unreachable_bot_gives_the_hotlines(visit, demo):
    page = visit(demo, config={"botUrl": f"http://127.0.0.1:{_free_port()}", "replyTimeoutMs": 2000}).page
    page.get_by_role("button", name="Chat", exact=True).click()
    notice = page.locator(".notice").last
    expect(notice).to_contain_text("can't be reached")
    for name, phone in HOTLINES:
        expect(notice).to_contain_text(f"{name}: {phone}")
        expect(notice.get_by_role("link", name=phone, exact=True)).to_have_attribute(
            "href", "tel:" + phone.replace("-", "")
        )
    expect(notice.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")

    ask_box = page.get_by_role("textbox", name="Your message")
    ask_box.fill("is narcan free in ohio")
    ask_box.press("Enter")
    expect(page.locator(".notice")).to_have_count(2)  # a message that gets no answer gets the hotlines again
    expect(page.locator(".typing.active")).to_have_count(0)


def test_slow_bot_gives_the_hotlines_then_the_late_answer(visit, demo):
    page = visit(demo, config={"replyTimeoutMs": 1}).page
    page.get_by_role("button", name="Chat", exact=True).click()
    before = bot_count(page)
    page.get_by_role("textbox", name="Your message").fill("is narcan free in ohio")
    page.get_by_role("textbox", name="Your message").press("Enter")
    expect(page.locator(".notice")).to_contain_text("not answering")
    expect(page.locator(".notice")).to_contain_text("SAMHSA National Helpline: 1-800-662-4357")
    expect(reply_after(page, before).locator("details.sources summary")).to_contain_text("Sources (")


# A stand-in for a Rasa replica behind the load balancer: a socket.io server that, the first time a
# message comes, writes it down and dies at once (os._exit: the connection drops as when the
# process is killed); started again on the same port (the other replica), it answers.
DYING_SERVER = """
import os, sys
import socketio
from aiohttp import web

port, log, origin = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[origin])
app = web.Application()
sio.attach(app)

@sio.on("session_request")
async def session_request(sid, data):
    await sio.emit("session_confirm", data["session_id"], room=sid)

@sio.on("user_uttered")
async def user_uttered(sid, data):
    first = not os.path.getsize(log)
    with open(log, "a") as file:
        file.write(data["message"] + "\\n")
    if first:
        os._exit(1)
    await sio.emit("bot_uttered", {"text": "Answer to: " + data["message"]}, room=sid)

web.run_app(app, host="127.0.0.1", port=port, print=None)
"""


@pytest.fixture
def dying_server(tmp_path):
    """(the server's URL, a function returning the messages it got); restarted whenever it dies."""
    import subprocess
    import sys
    import threading
    import time

    script, log, port = tmp_path / "dying_server.py", tmp_path / "received.txt", _free_port()
    script.write_text(DYING_SERVER)
    log.write_text("")
    running: list[subprocess.Popen] = []
    stopping = threading.Event()

    def supervise() -> None:
        while not stopping.is_set():
            running.append(
                subprocess.Popen([sys.executable, str(script), str(port), str(log), WIDGET_DEMO_ORIGIN], cwd=tmp_path)
            )
            while running[-1].poll() is None and not stopping.is_set():
                time.sleep(0.05)

    thread = threading.Thread(target=supervise, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", lambda: log.read_text().splitlines()
    stopping.set()
    thread.join(timeout=10)
    for process in running:
        process.kill()
        process.wait()


def test_a_message_in_flight_when_the_server_dies_is_sent_again(visit, demo, dying_server):
    url, received = dying_server
    page = visit(demo, config={"botUrl": url}, bypass_csp=True).page  # the demo page allows only the real bot
    page.get_by_role("button", name="Chat", exact=True).click()
    answer = ask(page, "is narcan free in ohio")
    expect(answer).to_have_text("Bot: Answer to: is narcan free in ohio")
    assert received() == ["is narcan free in ohio", "is narcan free in ohio"]  # the first copy died with it
    expect(ask(page, "thanks")).to_have_text("Bot: Answer to: thanks")
    assert received() == ["is narcan free in ohio", "is narcan free in ohio", "thanks"]  # none sent twice once answered


def test_only_allowed_origins_can_connect(visit, bot_server):
    handshake = f"{bot_server['url']}/socket.io/?EIO=4&transport=polling"
    refused = requests.get(handshake, headers={"Origin": "https://evil.example"}, timeout=10)
    assert refused.status_code == 400
    accepted = requests.get(handshake, headers={"Origin": WIDGET_DEMO_ORIGIN}, timeout=10)
    assert accepted.status_code == 200
    assert accepted.headers["Access-Control-Allow-Origin"] == WIDGET_DEMO_ORIGIN

    # The same demo page on another origin (another port) is refused by the bot.
    other_site = start_demo_server(port=0, bot_url=bot_server["url"])
    try:
        page = visit(f"http://127.0.0.1:{other_site.server_address[1]}/").page
        page.get_by_role("button", name="Chat", exact=True).click()
        expect(page.locator(".notice")).to_contain_text("can't be reached")
    finally:
        other_site.shutdown()
        other_site.server_close()


CONTRAST_FAILURES = f"""() => {{
    const rgb = (color) => color.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {{
        const [R, G, B] = [r, g, b].map((c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    }};
    const background = (element) => {{
        for (let node = element; node; node = node.parentElement || node.getRootNode().host) {{
            const color = getComputedStyle(node).backgroundColor;
            if (rgb(color)[3] !== 0) return color;
        }}
        return "rgb(255, 255, 255)";
    }};
    const failures = [];
    for (const element of {SHADOW}.querySelectorAll("*")) {{
        const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
        if (!ownText || !element.checkVisibility() || element.closest(".visually-hidden")) continue;
        const [fore, back] = [luminance(rgb(getComputedStyle(element).color)), luminance(rgb(background(element)))];
        const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
        if (ratio < 4.5) failures.push(`${{element.tagName}} "${{element.textContent.trim().slice(0, 30)}}": ${{ratio.toFixed(2)}}`);
    }}
    return failures;
}}"""

UNLABELLED_CONTROLS = f"""() => [...{SHADOW}.querySelectorAll("button, input, a, [tabindex]")]
    .filter((control) => !(control.getAttribute("aria-label") || control.labels?.[0]?.textContent.trim() || control.textContent.trim()))
    .map((control) => control.outerHTML)"""

FOCUS_RING = f"() => getComputedStyle({SHADOW}.activeElement).outlineStyle"


def test_accessibility_basics(visit, demo):
    page = visit(demo).page
    launcher = page.get_by_role("button", name="Chat", exact=True)
    expect(launcher).to_have_attribute("aria-haspopup", "dialog")
    open_with_keyboard(page)
    expect(launcher).to_be_hidden()  # the panel's Close button takes its place
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("dialog", name="Ask about safer use")).to_be_visible()
    for name in ("Quick exit", "Close chat", "Start over", "Send"):
        expect(page.get_by_role("button", name=name)).to_be_visible()
    ask(page, "is narcan free in ohio")
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    assert page.evaluate(CONTRAST_FAILURES) == []

    # Every control is reachable with the keyboard and shows where focus is.
    reached = []
    page.get_by_role("textbox", name="Your message").focus()
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        reached.append(focused(page))
        assert page.evaluate(FOCUS_RING) == "solid", reached[-1]
        if reached[-1] == "Quick exit":
            break
    for name in ("How to use naloxone", "Conversation", "Start over", "Close chat", "Quick exit"):
        assert name in reached

    page.keyboard.press("Escape")  # closes, focus back on the launcher
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "Chat"
    page.wait_for_timeout(1000)  # not a double Escape
    page.keyboard.press("Enter")
    assert focused(page) == "hrbot-input"
    page.get_by_role("button", name="Close chat").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "Chat"


def test_phone_layout(visit, demo):
    page = visit(demo, viewport=PHONE).page
    page.get_by_role("button", name="Chat", exact=True).click()
    ask(page, "is narcan free in ohio")
    panel = page.get_by_role("dialog").bounding_box()
    assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, PHONE["width"], PHONE["height"])
    for name in ("Quick exit", "Close chat", "Start over", "Send"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], name
        assert box["height"] >= 36, name  # big enough to tap
    overflowing = page.evaluate(
        f"() => [...{SHADOW}.querySelectorAll('.panel, .log, .bubble')].filter((e) => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert overflowing == 0

    # The panel covers the page, so Tab stays inside it.
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Tab")
    assert focused(page) == "Quick exit"

    page.evaluate(
        f"""() => {{
            {SHADOW}.activeElement.blur();  // no focus ring in the README's picture
            const log = {SHADOW}.querySelector('.log');
            log.scrollTop = log.scrollHeight;  // show the sources and the suggested replies
        }}"""
    )
    page.screenshot(path=ARTIFACTS / "widget-phone.png")
    shutil.copyfile(ARTIFACTS / "widget-phone.png", PROJECT_ROOT / "docs" / "widget-phone.png")


def test_widget_never_writes_html():
    source = (WIDGET_DIR / "hrbot-widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source


AXE = PROJECT_ROOT / "tests" / ".axe" / "node_modules" / "axe-core" / "axe.min.js"


def test_the_open_widget_has_no_serious_accessibility_violations(visit, demo):
    """axe-core (scripts/ensure-axe fetches it) on the page with the widget open and an answer shown,
    sources expanded: no serious or critical violations (WCAG 2.1 A and AA rules)."""
    if not AXE.exists():
        pytest.skip("axe-core not installed (scripts/ensure-axe needs npm)")
    page = visit(demo, bypass_csp=True).page  # to inject axe; the page's own policy is tested elsewhere
    open_with_keyboard(page)
    page.keyboard.type("narcan in ohio")
    page.keyboard.press("Enter")
    answer = reply_after(page, 1)
    answer.locator("details.sources summary").click()
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));
        }"""
    )
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


SPANISH_TITLE = {"en": "Ask about safer use", "es": "Pregunte sobre el uso más seguro"}


def test_the_widget_in_spanish_and_its_language_toggle(visit, demo):
    """Spanish labels from the start, Spanish answers, the toggle to English and back, and the
    labels following the language the bot answers in; no serious axe-core violations in Spanish."""
    page = visit(demo, config={"language": "es", "title": SPANISH_TITLE}, bypass_csp=True).page
    page.get_by_role("button", name="Chat", exact=True).click()
    expect(page.get_by_role("dialog", name=SPANISH_TITLE["es"])).to_be_visible()
    for name in ("Salida rápida", "Cerrar el chat", "Empezar de nuevo", "Enviar", "English"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Español", exact=True)).to_be_hidden()
    expect(page.get_by_role("log", name="Conversación")).to_be_visible()
    assert page.evaluate(f"() => {SHADOW}.querySelector('.hrbot').lang") == "es"
    expect(page.locator(".from-bot").first).to_contain_text("Puede preguntarme")

    box = page.get_by_role("textbox", name="Su mensaje")
    before = bot_count(page)
    box.fill("naloxona gratis en ohio")
    box.press("Enter")
    answer = reply_after(page, before)
    expect(answer).to_contain_text("Ohio")
    expect(answer.locator("details.sources summary")).to_contain_text("Fuentes (")
    if AXE.exists():
        answer.locator("details.sources summary").click()
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}}))
                .violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"""
        )
        assert violations == []

    # The toggle: English labels at once, and the bot is told ("English") and answers in English.
    before = bot_count(page)
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.get_by_role("dialog", name=SPANISH_TITLE["en"])).to_be_visible()
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    expect(page.locator(".from-user .bubble").last).to_have_text("English")
    english = reply_after(page, before)
    assert page.evaluate("sessionStorage.getItem('hrbot.language')") == "en"
    expect(english).not_to_contain_text("Puede")

    # A Spanish message gets a Spanish answer, and the widget's labels follow it.
    ask(page, "mi amigo necesita metadona en texas, donde voy?")
    expect(page.get_by_role("button", name="Salida rápida")).to_be_visible()
    expect(page.get_by_role("textbox", name="Su mensaje")).to_be_visible()


def counted(bot_server, measure: str, state: str) -> int:
    with new_session(bot_server["database_url"]) as session:
        rows = session.execute(select(UsageCount).where(UsageCount.measure == measure, UsageCount.state == state))
        return sum(row.count for row in rows.scalars())


def test_rating_and_reporting_an_answer_in_the_widget(visit, demo, bot_server):
    opened = visit(demo)
    page = opened.page
    page.get_by_role("button", name="Chat").click()
    helpful_before = counted(bot_server, usage.HELPFUL, "WV")
    answer = ask(page, "can i get narcan for free in west virginia")
    expect(answer).to_contain_text("West Virginia")
    answer.get_by_role("button", name="Helpful", exact=True).click()
    expect(answer.get_by_role("status")).to_have_text("Thanks for telling us.")
    expect(answer.get_by_role("button", name="Helpful", exact=True)).to_have_count(0)
    assert counted(bot_server, usage.HELPFUL, "WV") == helpful_before + 1

    answer.get_by_role("button", name="Report wrong info").click()
    note = answer.get_by_role("textbox", name="What is wrong with this answer?")
    expect(note).to_be_focused()
    expect(answer.get_by_text("Please don't type names, phone numbers or addresses.")).to_be_visible()
    answer.get_by_role("button", name="Send report").click()  # nothing typed: asked to say what
    expect(answer.get_by_role("status")).to_have_text("Please say in a few words what is wrong.")
    marker = uuid.uuid4().hex[:8]
    note.fill(f"The health department stopped giving it out ({marker}). Call me at 304-555-0142")
    answer.get_by_role("button", name="Send report").click()
    expect(answer.get_by_role("status")).to_have_text("Thank you. Staff will check this answer.")
    page.screenshot(path=ARTIFACTS / "widget-report.png")
    assert opened.errors == [] and opened.dialogs == []

    (report,) = [r for r in reports_about(bot_server, "profiles/WV/naloxone") if marker in r.report_text]
    assert report.channel == "webchat" and report.state == "WV" and report.status == feedback.OPEN
    assert "West Virginia" in report.answer_text
    assert "555" not in report.report_text and feedback.REMOVED in report.report_text


# Someone unusual enough to be found anywhere it was kept, and a ZIP code no clinic in the data has.
NAME = "Jolene Marchetti-Quist"
PHONE_DIGITS = "2165550199"


def kept_text(bot_server) -> dict[str, str]:
    """Everything the bot has kept: the whole database, and every log line."""
    database = sqlite3.connect(bot_server["database_url"].removeprefix("sqlite:///"))
    try:
        dump = "\n".join(database.iterdump())
    finally:
        database.close()
    logs = "\n".join(path.read_text(errors="replace") for path in Path(bot_server["logs"]).glob("*.log"))
    return {"database": dump, "logs": logs}


def quiet_zip(kept: dict[str, str]) -> str:
    """A Cleveland ZIP code the locator knows that appears nowhere yet (no clinic has it, no log line)."""
    for number in map(str, range(44101, 44199)):
        if lookup_zip(number) is not None and not any(number in text for text in kept.values()):
            return number
    pytest.fail("no Cleveland ZIP code free of records")


def test_nothing_personal_a_user_types_is_kept(bot_server, visit, demo):
    zip_code = quiet_zip(kept_text(bot_server))
    messages = [
        f"hi my name is {NAME}",
        f"call me back at 216-555-0199, I'm {NAME}",
        f"where is the nearest methadone clinic to {zip_code}",
        f"is narcan free in ohio? this is {NAME}",
    ]
    rest_sender = uuid.uuid4().hex
    for message in messages:
        reply = requests.post(
            f"{bot_server['url']}/webhooks/rest/webhook", json={"sender": rest_sender, "message": message}, timeout=60
        )
        assert reply.ok and reply.json()
    sms_phone = "+1" + PHONE_DIGITS
    for message in messages:
        assert texts(post(bot_server, message, sms_phone))
    page = visit(demo).page
    page.get_by_role("button", name="Chat").click()
    for message in messages:
        ask(page, message)

    for where, text in kept_text(bot_server).items():
        assert "Marchetti" not in text, where
        assert "5550199" not in text and "555-0199" not in text, where
        assert zip_code not in text, where

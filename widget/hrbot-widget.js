/*!
 * Harm reduction chatbot: embeddable web chat widget. Plain JavaScript, no build step.
 *
 * Embed (one config object, one script tag):
 *   <script>window.HarmReductionBot = {botUrl: "https://bot.example.org", title: "Ask us"};</script>
 *   <script src="https://your.site/widget/hrbot-widget.js" defer></script>
 *
 * The widget loads hrbot-widget.css and vendor/socket.io.min.js from its own folder and
 * talks to the bot over Rasa's socket.io channel. Everything is drawn in a shadow root,
 * so the host page's CSS and the widget's cannot clash. Message text only ever goes into
 * the page through textContent, never as HTML.
 */
(() => {
  "use strict";

  const SCRIPT_URL = document.currentScript ? document.currentScript.src : location.href;
  const ROOT_ID = "hrbot-widget";
  if (document.getElementById(ROOT_ID)) return; // the script was included twice

  // Storage keys. localStorage keeps only a random session id; sessionStorage keeps
  // this tab's conversation so a reload can show it again. Nothing personal is stored.
  const SESSION_KEY = "hrbot.session";
  const HISTORY_KEY = "hrbot.history";
  const OPEN_KEY = "hrbot.open";
  const HISTORY_LIMIT = 200;
  const MESSAGE_MAX_CHARS = 1000;
  const DOUBLE_ESCAPE_MS = 700;
  const SESSION_ID_PATTERN = /^[A-Za-z0-9-]{16,64}$/; // what the bot's channel accepts

  const DEFAULTS = {
    botUrl: "http://localhost:5005",
    socketPath: "/socket.io",
    title: "Chat with us",
    greeting: "Hi. You can ask me about naloxone (Narcan), fentanyl test strips, calling 911 for an overdose, and treatment.",
    hotlines: [],
    exitUrl: "https://www.weather.gov",
    colors: { primary: "#0b4f8a", exit: "#a4161a" },
    replyTimeoutMs: 15000,
    escapeTwiceToExit: true,
  };

  const config = readConfig(window.HarmReductionBot || {});

  function readConfig(given) {
    const colors = Object.assign({}, DEFAULTS.colors);
    for (const name of Object.keys(colors)) {
      const value = given.colors && given.colors[name];
      if (value === undefined) continue;
      if (parseHexColor(value)) colors[name] = value;
      else console.warn(`hrbot widget: colors.${name} must be a hex colour like #0b4f8a; using ${colors[name]}`);
    }
    return {
      botUrl: new URL(httpUrl(given.botUrl, DEFAULTS.botUrl, "botUrl")).origin, // a path would be a socket.io namespace
      socketPath: typeof given.socketPath === "string" ? given.socketPath : DEFAULTS.socketPath,
      title: nonEmptyString(given.title, DEFAULTS.title),
      greeting: typeof given.greeting === "string" ? given.greeting : DEFAULTS.greeting,
      hotlines: Array.isArray(given.hotlines)
        ? given.hotlines.filter((line) => line && typeof line.name === "string" && typeof line.phone === "string")
        : DEFAULTS.hotlines,
      exitUrl: httpUrl(given.exitUrl, DEFAULTS.exitUrl, "exitUrl"),
      colors,
      replyTimeoutMs: Number(given.replyTimeoutMs) > 0 ? Number(given.replyTimeoutMs) : DEFAULTS.replyTimeoutMs,
      escapeTwiceToExit: given.escapeTwiceToExit !== false,
    };
  }

  function nonEmptyString(value, fallback) {
    return typeof value === "string" && value.trim() ? value.trim() : fallback;
  }

  function httpUrl(value, fallback, name) {
    if (value === undefined) return fallback;
    try {
      const url = new URL(value, location.href);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href.replace(/\/$/, "");
    } catch (error) {
      // reported below
    }
    console.warn(`hrbot widget: ${name} must be an http(s) URL; using ${fallback}`);
    return fallback;
  }

  // ---- Colours: the text on a configured colour is black or white, whichever contrasts
  // more, which is always at least 4.58:1 (WCAG AA asks for 4.5:1).

  function parseHexColor(value) {
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value).trim());
    if (!match) return null;
    const hex = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
    return [0, 2, 4].map((start) => parseInt(hex.slice(start, start + 2), 16));
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function readableTextOn(hex) {
    const light = luminance(parseHexColor(hex));
    const withWhite = 1.05 / (light + 0.05);
    const withBlack = (light + 0.05) / 0.05;
    return withWhite >= withBlack ? "#ffffff" : "#000000";
  }

  // ---- Storage that never throws (storage can be switched off, or full).

  function storage(area) {
    const memory = new Map(); // used when the browser refuses storage: this page view only
    return {
      get(key) {
        try {
          return window[area].getItem(key);
        } catch (error) {
          return memory.has(key) ? memory.get(key) : null;
        }
      },
      set(key, value) {
        try {
          window[area].setItem(key, value);
        } catch (error) {
          memory.set(key, value);
        }
      },
      remove(key) {
        memory.delete(key);
        try {
          window[area].removeItem(key);
        } catch (error) {
          // nothing stored there
        }
      },
    };
  }

  const local = storage("localStorage");
  const tab = storage("sessionStorage");

  function newSessionId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // Pages served over plain http (not localhost) have no randomUUID: build a v4 UUID.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function storedSessionId() {
    const stored = local.get(SESSION_KEY);
    if (stored && SESSION_ID_PATTERN.test(stored)) return stored;
    const fresh = newSessionId();
    local.set(SESSION_KEY, fresh);
    return fresh;
  }

  function storedHistory() {
    try {
      const entries = JSON.parse(tab.get(HISTORY_KEY) || "[]");
      return Array.isArray(entries) ? entries.filter((entry) => entry && typeof entry.text === "string") : [];
    } catch (error) {
      return [];
    }
  }

  // ---- DOM helpers: text always goes in as text nodes.

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "className") node.className = value;
      else if (name === "hidden") node.hidden = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child); // strings become text nodes
    return node;
  }

  function visuallyHidden(text) {
    return el("span", { className: "visually-hidden" }, text);
  }

  // URLs become links that open in a new tab; US phone numbers become tel: links.
  const LINKABLE = /(https?:\/\/[^\s<>"']+)|((?:\b1-)?\b\d{3}-\d{3}-\d{4}\b)/g;

  function linkedText(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(LINKABLE)) {
      const [, url, phone] = match;
      const start = match.index;
      fragment.append(text.slice(last, start));
      if (url) {
        // Punctuation after a URL ends the sentence, and so does a ")" that the URL did not open.
        let href = url.replace(/[.,;:!?]+$/, "");
        while (href.endsWith(")") && href.split(")").length > href.split("(").length) href = href.slice(0, -1);
        fragment.append(
          el("a", { href, target: "_blank", rel: "noopener noreferrer" }, href, visuallyHidden(" (opens in a new tab)"))
        );
        last = start + href.length;
      } else {
        fragment.append(el("a", { href: `tel:${phone.replace(/\D/g, "")}` }, phone));
        last = start + phone.length;
      }
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  // The bot's web text: paragraphs split by blank lines, "- " bullets, "1. " steps.
  function formattedText(text) {
    const fragment = document.createDocumentFragment();
    for (const block of text.split(/\n{2,}/)) {
      let list = null;
      let paragraph = null;
      for (const line of block.split("\n")) {
        const bullet = /^\s*[-•]\s+(.*)$/.exec(line);
        const step = /^\s*(\d+)\.\s+(.*)$/.exec(line);
        if (bullet || step) {
          const kind = bullet ? "ul" : "ol";
          if (!list || list.tagName.toLowerCase() !== kind) {
            list = el(kind);
            if (step && step[1] !== "1") list.setAttribute("start", step[1]);
            fragment.append(list);
          }
          list.append(el("li", {}, linkedText(bullet ? bullet[1] : step[2])));
          paragraph = null;
        } else if (line.trim()) {
          if (paragraph) paragraph.append(el("br"));
          else {
            paragraph = el("p");
            if (/^Source:/.test(line)) paragraph.className = "source";
            fragment.append(paragraph);
          }
          paragraph.append(linkedText(line));
          list = null;
        }
      }
    }
    return fragment;
  }

  // ---- The widget's DOM.

  const host = el("div", { id: ROOT_ID });
  host.style.setProperty("--hrbot-primary", config.colors.primary);
  host.style.setProperty("--hrbot-on-primary", readableTextOn(config.colors.primary));
  host.style.setProperty("--hrbot-exit", config.colors.exit);
  host.style.setProperty("--hrbot-on-exit", readableTextOn(config.colors.exit));
  const shadow = host.attachShadow({ mode: "open" });

  const stylesheet = el("link", { rel: "stylesheet", href: new URL("hrbot-widget.css", SCRIPT_URL).href });
  const container = el("div", { className: "hrbot", hidden: true }); // shown once styled
  const showContainer = () => {
    container.hidden = false;
  };
  stylesheet.addEventListener("load", showContainer);
  stylesheet.addEventListener("error", showContainer); // unstyled still beats no way to get help

  const chatIcon = () => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4 4v-4H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z");
    svg.append(path);
    return svg;
  };

  const launcher = el(
    "button",
    { type: "button", className: "launcher", "aria-haspopup": "dialog" }, // hidden while the chat is open
    chatIcon(),
    el("span", {}, "Chat")
  );
  const exitButton = el("button", { type: "button", className: "exit" }, "Quick exit");
  const closeButton = el("button", { type: "button", className: "close", "aria-label": "Close chat" }, "×");
  const restartButton = el("button", { type: "button", className: "restart" }, "Start over");
  const log = el("div", {
    className: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
  });
  const typing = el("div", { className: "typing", role: "status" });
  const input = el("input", {
    id: "hrbot-input", type: "text", autocomplete: "off", maxlength: String(MESSAGE_MAX_CHARS),
    enterkeyhint: "send", placeholder: "Type your question",
  });
  const sendButton = el("button", { type: "submit", className: "send" }, "Send");
  const composer = el(
    "form",
    { className: "composer" },
    el("label", { for: "hrbot-input", className: "visually-hidden" }, "Your message"),
    input,
    sendButton
  );
  const panel = el(
    "section",
    { className: "panel", role: "dialog", "aria-labelledby": "hrbot-title", hidden: true },
    el(
      "header",
      { className: "bar" },
      el("h2", { id: "hrbot-title" }, config.title),
      exitButton,
      closeButton
    ),
    el(
      "div",
      { className: "privacy" },
      el(
        "p",
        {},
        "Don't share your name or address. In an emergency, call ",
        el("a", { href: "tel:911" }, "911"),
        ".",
        config.escapeTwiceToExit ? " Press Esc twice to leave fast." : ""
      ),
      restartButton
    ),
    log,
    typing,
    composer
  );
  container.append(launcher, panel);
  shadow.append(stylesheet, container);

  // ---- Conversation state.

  let sessionId = null; // read or made on the first connection: visitors who never chat store nothing
  let history = storedHistory();
  let socket = null;
  let socketLibrary = null;
  let sessionConfirmed = false;
  let outbox = []; // messages typed before the bot confirmed the session
  let replyTimer = null;
  let troubleShown = false; // one "can't reach the chat" notice per outage and per unanswered message

  function saveHistory() {
    history = history.slice(-HISTORY_LIMIT);
    tab.set(HISTORY_KEY, JSON.stringify(history));
  }

  function renderEntry(entry) {
    const bot = entry.from === "bot";
    const message = el(
      "div",
      { className: `message ${bot ? "from-bot" : "from-user"}` },
      visuallyHidden(bot ? "Bot: " : "You: ")
    );
    const bubble = el("div", { className: "bubble" });
    if (bot) bubble.append(formattedText(entry.text));
    else bubble.append(el("p", {}, entry.text));
    if (bot && entry.sources && entry.sources.length) bubble.append(sourcesList(entry.sources));
    message.append(bubble);
    if (bot && entry.quickReplies && entry.quickReplies.length) {
      const group = el("div", { className: "quick-replies", role: "group", "aria-label": "Suggested replies" });
      for (const reply of entry.quickReplies) {
        const button = el("button", { type: "button" }, reply.title);
        button.addEventListener("click", () => {
          send(reply.payload, reply.title);
          input.focus(); // the clicked button is gone
        });
        group.append(button);
      }
      message.append(group);
    }
    return message;
  }

  // The answer's sources, collapsed under it: "Sources (3)", each a titled link with its date.
  function sourcesList(sources) {
    const details = el("details", { className: "sources" }, el("summary", {}, `Sources (${sources.length})`));
    const list = el("ul", {});
    for (const source of sources) {
      const link = el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.title);
      link.append(visuallyHidden(" (opens in a new tab)"));
      list.append(el("li", {}, link, ` (${source.publisher}, checked ${source.checked})`));
    }
    details.append(list);
    return details;
  }

  function renderLog() {
    const nodes = [];
    if (config.greeting) nodes.push(renderEntry({ from: "bot", text: config.greeting }));
    for (const entry of history) nodes.push(renderEntry(entry));
    log.replaceChildren(...nodes);
    log.scrollTop = log.scrollHeight;
  }

  function addEntry(entry) {
    if (entry.from === "user") {
      // Suggested replies belong to the bot's last turn only.
      history.forEach((past) => delete past.quickReplies);
      log.querySelectorAll(".quick-replies").forEach((group) => group.remove());
    }
    history.push(entry);
    saveHistory();
    const node = renderEntry(entry);
    log.append(node);
    // Show a new answer from its first line; keep the user's own message at the bottom.
    if (entry.from === "bot") scrollToStartOf(node);
    else log.scrollTop = log.scrollHeight;
  }

  function scrollToStartOf(node) {
    log.scrollTop = node.offsetTop - 8; // the log is the messages' offsetParent
  }

  function showTrouble(reason) {
    stopWaiting();
    if (troubleShown) return;
    troubleShown = true;
    const bubble = el(
      "div",
      { className: "bubble" },
      el("p", {}, reason === "timeout" ? "Sorry, the chat is not answering right now." : "Sorry, the chat can't be reached right now.")
    );
    if (config.hotlines.length) {
      bubble.append(
        el("p", {}, "You can call:"),
        el("ul", {}, ...config.hotlines.map((line) => el("li", {}, `${line.name}: `, linkedTel(line.phone))))
      );
    }
    bubble.append(el("p", {}, "In an emergency, call ", el("a", { href: "tel:911" }, "911"), "."));
    const notice = el("div", { className: "message notice" }, visuallyHidden("Notice: "), bubble);
    log.append(notice);
    scrollToStartOf(notice);
  }

  function linkedTel(phone) {
    return el("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}` }, phone);
  }

  function startWaiting() {
    typing.replaceChildren(
      el("span", { className: "dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")),
      visuallyHidden("The bot is typing…")
    );
    typing.classList.add("active");
    clearTimeout(replyTimer);
    replyTimer = setTimeout(() => showTrouble("timeout"), config.replyTimeoutMs);
  }

  function stopWaiting() {
    clearTimeout(replyTimer);
    replyTimer = null;
    typing.classList.remove("active");
    typing.replaceChildren();
  }

  // ---- Talking to the bot (Rasa's socket.io channel).

  function loadSocketLibrary() {
    if (!socketLibrary) {
      socketLibrary = new Promise((resolve, reject) => {
        const hostPageIo = window.io; // put back afterwards: the host page may use its own socket.io
        const script = document.createElement("script");
        script.src = new URL("vendor/socket.io.min.js", SCRIPT_URL).href;
        script.onload = () => {
          const io = window.io;
          if (hostPageIo === undefined) delete window.io;
          else window.io = hostPageIo;
          resolve(io);
        };
        script.onerror = () => {
          socketLibrary = null;
          reject(new Error("could not load socket.io"));
        };
        document.head.append(script);
      });
    }
    return socketLibrary;
  }

  async function connect() {
    if (socket) return;
    let io;
    try {
      io = await loadSocketLibrary();
    } catch (error) {
      showTrouble("offline");
      return;
    }
    if (socket) return;
    socket = io(config.botUrl, { path: config.socketPath, reconnectionDelayMax: 10000 });
    socket.on("connect", () => {
      sessionConfirmed = false;
      sessionId = sessionId || storedSessionId();
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", (confirmedId) => {
      if (confirmedId !== sessionId) return; // an answer to a request from before "Start over"
      sessionConfirmed = true;
      troubleShown = false;
      flushOutbox();
    });
    socket.on("disconnect", () => {
      sessionConfirmed = false;
    });
    socket.on("connect_error", () => showTrouble("offline"));
    socket.on("bot_uttered", receive);
  }

  function flushOutbox() {
    while (sessionConfirmed && outbox.length) {
      socket.emit("user_uttered", { message: outbox.shift(), session_id: sessionId });
    }
  }

  function receive(message) {
    if (!message || typeof message.text !== "string" || !message.text.trim()) return; // text is all this bot sends
    stopWaiting();
    troubleShown = false;
    const quickReplies = Array.isArray(message.quick_replies)
      ? message.quick_replies
          .filter((reply) => reply && typeof reply.title === "string" && typeof reply.payload === "string")
          .map((reply) => ({ title: reply.title, payload: reply.payload }))
      : [];
    const custom = message.custom && typeof message.custom === "object" ? message.custom : {};
    const sources = Array.isArray(custom.sources)
      ? custom.sources
          .filter((s) => s && typeof s.title === "string" && /^https?:\/\//.test(String(s.url)))
          .map((s) => ({ title: s.title, url: String(s.url), publisher: String(s.publisher || ""), checked: String(s.checked || "") }))
      : [];
    addEntry({ from: "bot", text: message.text, quickReplies, sources });
  }

  // `shown` is what appears as the user's message (a quick reply's title; its payload is sent).
  function send(text, shown = text) {
    addEntry({ from: "user", text: shown });
    troubleShown = false; // a message that gets no answer always gets the hotlines
    outbox.push(text);
    startWaiting();
    connect();
    flushOutbox();
  }

  // ---- Controls.

  function openPanel({ moveFocus = true } = {}) {
    panel.hidden = false;
    launcher.hidden = true;
    tab.set(OPEN_KEY, "1");
    log.scrollTop = log.scrollHeight;
    connect();
    if (moveFocus) input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.hidden = false;
    tab.remove(OPEN_KEY);
    launcher.focus();
  }

  function startOver() {
    stopWaiting();
    outbox = [];
    history = [];
    tab.remove(HISTORY_KEY);
    sessionId = newSessionId();
    local.set(SESSION_KEY, sessionId);
    sessionConfirmed = false;
    troubleShown = false;
    if (socket && socket.connected) socket.emit("session_request", { session_id: sessionId });
    renderLog();
    input.value = "";
    input.focus();
  }

  function quickExit() {
    document.body.style.visibility = "hidden"; // the page and the chat disappear at once
    container.replaceChildren();
    if (socket) socket.disconnect();
    local.remove(SESSION_KEY);
    tab.remove(HISTORY_KEY);
    tab.remove(OPEN_KEY);
    location.replace(config.exitUrl); // replace: Back does not come back here
  }

  launcher.addEventListener("click", () => openPanel());
  closeButton.addEventListener("click", closePanel);
  exitButton.addEventListener("click", quickExit);
  restartButton.addEventListener("click", startOver);
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  // On a phone the panel covers the page, so Tab must not wander to controls under it.
  const fullScreen = window.matchMedia("(max-width: 480px)");
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
    else if (event.key === "Tab" && fullScreen.matches) keepFocusInPanel(event);
  });

  function keepFocusInPanel(event) {
    const focusable = Array.from(panel.querySelectorAll("button, a[href], input, [tabindex='0']"));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && shadow.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && shadow.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  if (config.escapeTwiceToExit) {
    let lastEscape = 0;
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || event.repeat) return;
      const now = Date.now();
      if (now - lastEscape < DOUBLE_ESCAPE_MS) quickExit();
      lastEscape = now;
    }, true);
  }

  renderLog();

  function mount() {
    document.body.append(host);
    if (tab.get(OPEN_KEY)) openPanel({ moveFocus: false }); // still open after a reload; focus stays where the page put it
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();

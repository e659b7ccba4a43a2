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
  const LANGUAGE_KEY = "hrbot.language";

  // BEGIN STRINGS (generated from data/texts by `hrbot widget strings`: edit data/texts, not here)
  const STRINGS = {
    "en": {
      "checked": "({publisher}, checked {date})",
      "close": "Close chat",
      "conversation": "Conversation",
      "emergency": "In an emergency, call {number}.",
      "escape_twice": "Press Esc twice to leave fast.",
      "from_bot": "Bot: ",
      "from_you": "You: ",
      "greeting": "Hi. You can ask me about calling 911 for an overdose, naloxone (Narcan), test strips, syringe services and treatment.",
      "helpful": "Helpful",
      "helpful_question": "Helpful?",
      "language_name": "English",
      "launcher": "Chat",
      "new_tab": " (opens in a new tab)",
      "not_answering": "Sorry, the chat is not answering right now.",
      "not_helpful": "Not helpful",
      "notice": "Notice: ",
      "placeholder": "Type your question",
      "privacy": "Don't share your name or address. In an emergency, call {number}.",
      "quick_exit": "Quick exit",
      "rating_thanks": "Thanks for telling us.",
      "report": "Report wrong info",
      "report_cancel": "Cancel",
      "report_empty": "Please say in a few words what is wrong.",
      "report_failed": "Sorry, that could not be sent. Please try again later.",
      "report_label": "What is wrong with this answer?",
      "report_send": "Send report",
      "report_thanks": "Thank you. Staff will check this answer.",
      "report_warning": "Please don't type names, phone numbers or addresses.",
      "send": "Send",
      "sources": "Sources ({count})",
      "start_over": "Start over",
      "suggested_replies": "Suggested replies",
      "title": "Chat with us",
      "typing": "The bot is typing…",
      "unreachable": "Sorry, the chat can't be reached right now.",
      "you_can_call": "You can call:",
      "your_message": "Your message"
    },
    "es": {
      "checked": "({publisher}, revisado {date})",
      "close": "Cerrar el chat",
      "conversation": "Conversación",
      "emergency": "En una emergencia, llame al {number}.",
      "escape_twice": "Presione Esc dos veces para salir rápido.",
      "from_bot": "Bot: ",
      "from_you": "Usted: ",
      "greeting": "Hola. Puede preguntarme sobre llamar al 911 por una sobredosis, la naloxona (Narcan), las tiras de prueba, los servicios de jeringas y el tratamiento.",
      "helpful": "Me sirvió",
      "helpful_question": "¿Le sirvió?",
      "language_name": "Español",
      "launcher": "Chat",
      "new_tab": " (se abre en otra pestaña)",
      "not_answering": "Lo sentimos, el chat no responde en este momento.",
      "not_helpful": "No me sirvió",
      "notice": "Aviso: ",
      "placeholder": "Escriba su pregunta",
      "privacy": "No comparta su nombre ni su dirección. En una emergencia, llame al {number}.",
      "quick_exit": "Salida rápida",
      "rating_thanks": "Gracias por decirnos.",
      "report": "Reportar un error",
      "report_cancel": "Cancelar",
      "report_empty": "Por favor diga en pocas palabras qué está mal.",
      "report_failed": "Lo sentimos, no se pudo enviar. Intente más tarde.",
      "report_label": "¿Qué está mal en esta respuesta?",
      "report_send": "Enviar reporte",
      "report_thanks": "Gracias. Nuestro equipo revisará esta respuesta.",
      "report_warning": "Por favor no escriba nombres, números de teléfono ni direcciones.",
      "send": "Enviar",
      "sources": "Fuentes ({count})",
      "start_over": "Empezar de nuevo",
      "suggested_replies": "Respuestas sugeridas",
      "title": "Chatee con nosotros",
      "typing": "El bot está escribiendo…",
      "unreachable": "Lo sentimos, no se puede conectar con el chat en este momento.",
      "you_can_call": "Puede llamar a:",
      "your_message": "Su mensaje"
    }
  };
  // END STRINGS

  const DEFAULTS = {
    botUrl: "http://localhost:5005",
    socketPath: "/socket.io",
    language: "en",
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
      language: firstLanguage(given.language),
      title: perLanguage(given.title, "title", true),
      greeting: perLanguage(given.greeting, "greeting", false),
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

  // The language the widget starts in: the site's setting, else the page's or the browser's
  // language when the widget speaks it, else English.
  function firstLanguage(given) {
    if (given !== undefined && !STRINGS[given]) console.warn(`hrbot widget: language must be one of ${Object.keys(STRINGS).join(", ")}`);
    const candidates = [given, document.documentElement.lang, ...(navigator.languages || [navigator.language])];
    for (const candidate of candidates) {
      const code = String(candidate || "").toLowerCase().split("-")[0];
      if (STRINGS[code]) return code;
    }
    return DEFAULTS.language;
  }

  // A site's title or greeting: one string for every language, or one per language
  // ({en: "...", es: "..."}); the widget's own words where the site gives none.
  function perLanguage(value, name, nonEmpty) {
    return (language) => {
      const given = value && typeof value === "object" ? value[language] : value;
      if (typeof given === "string" && (!nonEmpty || given.trim())) return given.trim();
      return STRINGS[language][name];
    };
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

  // ---- Words: the widget's own, in the conversation's language (STRINGS, from data/texts).

  let language = STRINGS[tab.get(LANGUAGE_KEY)] ? tab.get(LANGUAGE_KEY) : config.language;

  function t(key, values = {}) {
    const words = STRINGS[language][key] ?? STRINGS[DEFAULTS.language][key];
    return words.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  // "In an emergency, call {number}." with the number as a tel: link.
  function withNumber(key) {
    const [before, after] = t(key).split("{number}");
    return [before, el("a", { href: "tel:911" }, "911"), after ?? ""];
  }

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
        fragment.append(el("a", { href, target: "_blank", rel: "noopener noreferrer" }, href, visuallyHidden(t("new_tab"))));
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
    el("span", {})
  );
  const exitButton = el("button", { type: "button", className: "exit" });
  const closeButton = el("button", { type: "button", className: "close" }, "×");
  const restartButton = el("button", { type: "button", className: "restart" });
  // One button per other language, named in that language ("Español"), for people who read only it.
  const languageButtons = Object.keys(STRINGS).map((code) =>
    el("button", { type: "button", className: "language", lang: code, "data-language": code }, STRINGS[code].language_name)
  );
  const log = el("div", { className: "log", role: "log", "aria-live": "polite", tabindex: "0" });
  const typing = el("div", { className: "typing", role: "status" });
  const input = el("input", {
    id: "hrbot-input", type: "text", autocomplete: "off", maxlength: String(MESSAGE_MAX_CHARS), enterkeyhint: "send",
  });
  const sendButton = el("button", { type: "submit", className: "send" });
  const inputLabel = el("label", { for: "hrbot-input", className: "visually-hidden" });
  const composer = el("form", { className: "composer" }, inputLabel, input, sendButton);
  const title = el("h2", { id: "hrbot-title" });
  const privacyNote = el("p", {});
  const panel = el(
    "section",
    { className: "panel", role: "dialog", "aria-labelledby": "hrbot-title", hidden: true },
    el(
      "header",
      { className: "bar" },
      title,
      exitButton,
      closeButton
    ),
    el("div", { className: "privacy" }, privacyNote, ...languageButtons, restartButton),
    log,
    typing,
    composer
  );
  container.append(launcher, panel);
  shadow.append(stylesheet, container);

  // Every label of the widget in the current language.
  function applyLanguage() {
    container.lang = language;
    launcher.lastChild.textContent = t("launcher");
    exitButton.textContent = t("quick_exit");
    closeButton.setAttribute("aria-label", t("close"));
    restartButton.textContent = t("start_over");
    for (const button of languageButtons) button.hidden = button.dataset.language === language;
    log.setAttribute("aria-label", t("conversation"));
    input.placeholder = t("placeholder");
    sendButton.textContent = t("send");
    inputLabel.textContent = t("your_message");
    title.textContent = config.title(language);
    privacyNote.replaceChildren(...withNumber("privacy"), config.escapeTwiceToExit ? ` ${t("escape_twice")}` : "");
  }

  // `tellBot`: the person chose the language, so the bot switches too (it knows languages by name).
  function setLanguage(code, { tellBot = false } = {}) {
    if (!STRINGS[code]) return;
    const changed = code !== language;
    language = code;
    tab.set(LANGUAGE_KEY, code);
    if (changed) {
      applyLanguage();
      renderLog();
    }
    if (tellBot) send(STRINGS[code].language_name);
  }

  // ---- Conversation state.

  let sessionId = null; // read or made on the first connection: visitors who never chat store nothing
  let history = storedHistory();
  let socket = null;
  let socketLibrary = null;
  let sessionConfirmed = false;
  let outbox = []; // messages typed before the bot confirmed the session
  let unanswered = null; // the message sent last, until an answer comes: sent again if the connection drops first
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
      visuallyHidden(t(bot ? "from_bot" : "from_you"))
    );
    const bubble = el("div", { className: "bubble" });
    if (bot) bubble.append(formattedText(entry.text));
    else bubble.append(el("p", {}, entry.text));
    if (bot && entry.sources && entry.sources.length) bubble.append(sourcesList(entry.sources));
    message.append(bubble);
    if (bot && entry.answer) message.append(feedbackBar(entry));
    if (bot && entry.quickReplies && entry.quickReplies.length) {
      const group = el("div", { className: "quick-replies", role: "group", "aria-label": t("suggested_replies") });
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
    const details = el("details", { className: "sources" }, el("summary", {}, t("sources", { count: sources.length })));
    const list = el("ul", {});
    for (const source of sources) {
      const link = el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.title);
      link.append(visuallyHidden(t("new_tab")));
      list.append(el("li", {}, link, ` ${t("checked", { publisher: source.publisher, date: source.checked })}`));
    }
    details.append(list);
    return details;
  }

  // Under an answer: "Helpful? 👍 👎" and "Report wrong info" (a short note, no personal details).
  // The bot gets back what the answer was about and its words, never who sent them.
  function feedbackBar(entry) {
    const bar = el("div", { className: "feedback" });
    const status = el("p", { className: "feedback-status", role: "status" });
    const rating = el("div", { className: "rating", role: "group", "aria-label": t("helpful_question") });
    if (entry.rated) status.textContent = t("rating_thanks");
    else {
      rating.append(el("span", { "aria-hidden": "true" }, t("helpful_question")));
      for (const [vote, emoji, label] of [["up", "👍", "helpful"], ["down", "👎", "not_helpful"]]) {
        const button = el("button", { type: "button", "aria-label": t(label), title: t(label) }, emoji);
        button.addEventListener("click", () => {
          sendFeedback({ vote, answer: entry.answer, language }, (result) => {
            if (result !== "ok") return (status.textContent = t("report_failed"));
            entry.rated = true;
            saveHistory();
            rating.remove();
            status.textContent = t("rating_thanks");
          });
        });
        rating.append(button);
      }
      bar.append(rating);
    }
    const open = el("button", { type: "button", className: "report-open", "aria-expanded": "false" }, t("report"));
    const form = el("form", { className: "report-form", hidden: true });
    const noteId = `hrbot-report-${Math.random().toString(36).slice(2)}`;
    const note = el("textarea", { id: noteId, maxlength: "500", rows: "3" });
    const cancel = el("button", { type: "button" }, t("report_cancel"));
    form.append(
      el("label", { for: noteId }, t("report_label")),
      el("p", { className: "report-warning" }, t("report_warning")),
      note,
      el("div", { className: "report-actions" }, el("button", { type: "submit" }, t("report_send")), cancel)
    );
    const toggle = (show) => {
      form.hidden = !show;
      open.setAttribute("aria-expanded", String(show));
      if (show) note.focus();
    };
    open.addEventListener("click", () => toggle(form.hidden));
    cancel.addEventListener("click", () => {
      toggle(false);
      open.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!note.value.trim()) return (status.textContent = t("report_empty"));
      const report = { report: note.value, answer: entry.answer, answer_text: entry.text, language };
      sendFeedback(report, (result) => {
        if (result === "empty") return (status.textContent = t("report_empty"));
        if (result !== "ok") return (status.textContent = t("report_failed"));
        note.value = "";
        toggle(false);
        open.remove();
        status.textContent = t("report_thanks");
      });
    });
    bar.append(open, form, status);
    return bar;
  }

  function sendFeedback(data, done) {
    if (!socket || !socket.connected) return done("unavailable");
    socket.timeout(10000).emit("feedback", data, (error, reply) => done(error ? "unavailable" : reply && reply.result));
  }

  function renderLog() {
    const nodes = [];
    const greeting = config.greeting(language);
    if (greeting) nodes.push(renderEntry({ from: "bot", text: greeting }));
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
      el("p", {}, t(reason === "timeout" ? "not_answering" : "unreachable"))
    );
    if (config.hotlines.length) {
      bubble.append(
        el("p", {}, t("you_can_call")),
        el("ul", {}, ...config.hotlines.map((line) => el("li", {}, `${line.name}: `, linkedTel(line.phone))))
      );
    }
    bubble.append(el("p", {}, ...withNumber("emergency")));
    const notice = el("div", { className: "message notice" }, visuallyHidden(t("notice")), bubble);
    log.append(notice);
    scrollToStartOf(notice);
  }

  function linkedTel(phone) {
    return el("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}` }, phone);
  }

  function startWaiting() {
    typing.replaceChildren(
      el("span", { className: "dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")),
      visuallyHidden(t("typing"))
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
    socket.on("disconnect", (reason) => {
      sessionConfirmed = false;
      // The server it reached went away mid-turn (a replica restarted or died): once reconnected, to
      // another one, the message goes again, so none is lost. (Not when the widget itself hung up.)
      if (unanswered !== null && reason !== "io client disconnect") outbox.unshift(unanswered);
      unanswered = null;
    });
    socket.on("connect_error", () => showTrouble("offline"));
    socket.on("bot_uttered", receive);
  }

  function flushOutbox() {
    while (sessionConfirmed && outbox.length) {
      unanswered = outbox.shift();
      socket.emit("user_uttered", { message: unanswered, session_id: sessionId });
    }
  }

  function receive(message) {
    if (!message || typeof message.text !== "string" || !message.text.trim()) return; // text is all this bot sends
    stopWaiting();
    troubleShown = false;
    unanswered = null;
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
    const answer = custom.answer && typeof custom.answer === "object" ? custom.answer : null;
    addEntry({ from: "bot", text: message.text, quickReplies, sources, answer });
    if (typeof custom.language === "string") setLanguage(custom.language); // the bot answered in it: follow
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
    unanswered = null;
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
  for (const button of languageButtons) {
    button.addEventListener("click", () => {
      setLanguage(button.dataset.language, { tellBot: true });
      input.focus(); // the clicked button is now hidden
    });
  }
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

  applyLanguage();
  renderLog();

  function mount() {
    document.body.append(host);
    if (tab.get(OPEN_KEY)) openPanel({ moveFocus: false }); // still open after a reload; focus stays where the page put it
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();

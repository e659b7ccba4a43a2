"""The one place where an Answer becomes channel output: web chat or SMS.

Web: short paragraphs, links, quick-reply buttons, and the sources as a list the widget shows
collapsed ("Sources (3)"). SMS: plain text with no markdown, at most two segments per text (the
rest offered as "Reply MORE"), numbered options ("Reply 1 for ...") instead of buttons, and one
short source link.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypedDict
from urllib.parse import urlsplit

from bot import intents, texts
from bot.answers import FALLBACK, Answer, Link, Option
from bot.intents import payload

WEB = "web"
SMS = "sms"
SMS_MAX_SEGMENTS = 2
# A source link longer than this is shown on SMS as its site only ("codes.ohio.gov").
SMS_LINK_MAX = 45
MORE_HINT = texts.text("format.more_hint")
# GSM 03.38 basic characters: a text made only of these is 160 per single SMS, 153 per part.
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_PLAIN = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " ", "•": "-"}
# The accented vowels the GSM alphabet lacks. One of them makes a whole text UCS-2 (67 characters a
# segment instead of 153), so SMS writes them without the accent, as Spanish texts often are;
# é, ñ, ü, ¿ and ¡ are in the alphabet and stay.
_GSM_VOWELS = str.maketrans("áíóúÁÍÓÚ", "aiouAIOU")


class SmsPaging(TypedDict):
    """What an SMS message carries for the SMS channel: the "Reply MORE" pages and the numbered options."""

    more: list[str]
    options: list[dict[str, str]]  # {"title", "payload"}


class Button(TypedDict):
    title: str
    payload: str


class SourceLink(TypedDict):
    title: str
    publisher: str
    checked: str  # "Nov 2026"
    url: str


class Custom(TypedDict, total=False):
    sms: SmsPaging  # on the SMS channel
    sources: list[SourceLink]  # on the web: shown collapsed under the answer
    language: str  # on the web: the answer's language, which the widget's own labels follow
    answer: dict[str, str]  # what a reportable answer was about (About.as_dict): the feedback buttons send it back


class BotMessage(TypedDict, total=False):
    """The output contract of this layer, for every channel: Rasa's message fields."""

    text: str
    buttons: list[Button]
    custom: Custom


@dataclass
class SmsReply:
    text: str
    more: list[str] = field(default_factory=list)  # further pages, sent one per "MORE"
    options: list[Option] = field(default_factory=list)
    urgent_followups: list[str] = field(default_factory=list)  # further texts sent right away


def checked(date: dt.date, language: str = texts.DEFAULT_LANGUAGE) -> str:
    """Month and year, as in "Nov 2026"."""
    return f"{texts.text('format.months', language).split()[date.month - 1]} {date.year}"


def render_web(answer: Answer, with_disclaimer: bool = False) -> list[BotMessage]:
    """Rasa messages for the web widget and REST channel: one text with buttons."""
    language = answer.language
    blocks = list(answer.paragraphs)
    if answer.steps:
        blocks.append("\n".join(f"{number}. {step}" for number, step in enumerate(answer.steps, start=1)))
    if answer.bullets:
        blocks.append("\n".join(f"- {bullet}" for bullet in answer.bullets))
    if answer.links:
        blocks.append(
            texts.text("format.next_step", language)
            + "\n"
            + "\n".join(f"- {_link_text(link, language)}" for link in answer.links)
        )
    if with_disclaimer:
        blocks.append(texts.text("format.disclaimer", language))
    message = BotMessage(text="\n\n".join(blocks), custom=Custom(language=language))
    about = reportable(answer)
    if about:
        message["custom"]["answer"] = about
    if answer.options:
        message["buttons"] = [Button(title=option.title, payload=option.payload) for option in answer.options]
    if answer.sources:
        message["custom"]["sources"] = [
            SourceLink(title=s.title, publisher=s.publisher, checked=checked(s.accessed, language), url=s.url)
            for s in answer.sources[:3]
        ]
    return [message]


def short_link(url: str) -> str:
    """The URL itself when short, else its site: one SMS link that costs little."""
    return url if len(url) <= SMS_LINK_MAX else (urlsplit(url).hostname or url)


def _link_text(link: Link, language: str) -> str:
    parts = [link.title + _language_note(link, language)]
    if link.phone:
        parts.append(link.phone)
    if link.url:
        parts.append(link.url)
    return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _language_note(link: Link, language: str) -> str:
    """Whether the service speaks the answer's language, as in "(en español)", for answers not in
    the default language and only where the data says; nothing where it does not."""
    if language == texts.DEFAULT_LANGUAGE or not link.languages:
        return ""
    key = "format.in_your_language" if language in link.languages else "format.not_in_your_language"
    return " " + texts.text(key, language)


def render_sms(answer: Answer, with_disclaimer: bool = False) -> SmsReply:
    """Plain text within three segments; longer content is paged behind "Reply MORE"."""
    language = answer.language
    pieces = list(answer.sms_paragraphs or answer.paragraphs)
    pieces += [f"{number}. {step}" for number, step in enumerate(answer.steps, start=1)]
    if answer.sms_paragraphs is None:
        pieces += answer.bullets
    pieces += [_link_text(link, language) for link in answer.links[:2]]
    if answer.sources:
        source = answer.sources[0]
        pieces.append(
            texts.text(
                "format.source_short",
                language,
                publisher=source.publisher,
                date=checked(source.accessed, language),
                link=short_link(source.url),
            )
        )
    if with_disclaimer:
        pieces.append(texts.text("format.disclaimer", language))
    # "More" is the MORE keyword on SMS, not a numbered option.
    more = [option for option in answer.options if option.payload == payload(intents.ASK_MORE)]
    options = [option for option in answer.options if option not in more]
    closing = []  # last: the numbered replies, then "Reply MORE for the full answer" (after any other page)
    if options:
        closing.append(
            texts.text(
                "format.reply_options",
                language,
                options=", ".join(
                    texts.text("format.option", language, number=str(number), title=option.title)
                    for number, option in enumerate(options, start=1)
                ),
            )
        )
    if more:
        closing.append(texts.text("format.more_details", language))
    more_hint = plain_text(texts.text("format.more_hint", language))
    options_text = plain_text(" ".join(closing))
    pieces = [plain_text(piece) for piece in pieces]
    limit = sms_limit("\n".join(pieces + [options_text, more_hint]))
    if answer.urgent:  # an emergency is sent whole, as consecutive texts, never held behind MORE
        pages = _paginate(pieces, limit, options_text, hint="")
        return SmsReply(text=pages[0], urgent_followups=pages[1:], options=options)
    pages = _paginate(pieces, limit, options_text, hint=more_hint)
    return SmsReply(text=pages[0], more=pages[1:], options=options)


def plain_text(text: str) -> str:
    """No markdown, typographic quotes turned plain and á í ó ú without the accent, so the text
    stays in the cheap GSM alphabet.

    Only paired emphasis is removed: a lone underscore belongs to a URL.
    """
    for fancy, simple in _PLAIN.items():
        text = text.replace(fancy, simple)
    text = text.translate(_GSM_VOWELS)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__|`(.+?)`", lambda m: next(g for g in m.groups() if g), text)
    return re.sub(r"[ \t]+", " ", text).strip()


def sms_limit(text: str) -> int:
    """Units that fit in three segments: 153 each in GSM-7, 67 each in UCS-2."""
    per_segment = 153 if set(text) <= _GSM7 else 67
    return per_segment * SMS_MAX_SEGMENTS


def sms_length(text: str) -> int:
    """Length as a phone counts it: characters in GSM-7, UTF-16 code units otherwise (an emoji is 2)."""
    return len(text) if set(text) <= _GSM7 else len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    """How many SMS segments a text takes."""
    single, multi = (160, 153) if set(text) <= _GSM7 else (70, 67)
    length = sms_length(text)
    return 1 if length <= single else -(-length // multi)


def _paginate(pieces: list[str], limit: int, options_text: str, hint: str) -> list[str]:
    """Fill pages greedily, sentence by sentence; each piece starts a new line; options go last.

    Every page but the last ends with `hint`, and every page fits in `limit`.
    """
    room = limit - (len(hint) + 1 if hint else 0)
    units: list[tuple[str, bool]] = []  # (text, starts a new line)
    for piece in pieces + ([options_text] if options_text else []):
        for number, chunk in enumerate(_split_long(piece, room)):
            units.append((chunk, number == 0))
    pages, current, separators = [], "", []  # separators: how each page after the first joins the one before
    for text, new_line in units:
        candidate = (f"{current}\n{text}" if new_line else f"{current} {text}") if current else text
        if sms_length(candidate) <= room:
            current = candidate
        else:
            pages.append(current)
            separators.append("\n" if new_line else " ")
            current = text
    pages.append(current)
    # The last page needs no hint: what is left goes on the page before when it fits there without one.
    if len(pages) > 1 and sms_length(pages[-2] + separators[-1] + pages[-1]) <= limit:
        pages[-2:] = [pages[-2] + separators[-1] + pages[-1]]
    if hint:
        pages = [f"{page}\n{hint}" for page in pages[:-1]] + pages[-1:]
    return pages


def _split_long(text: str, limit: int) -> list[str]:
    """Sentences of `text`, and any sentence longer than `limit` cut at spaces."""
    chunks = []
    for sentence in re.split(r"(?<=[.!?])(?<!^\d\.)(?<!^\d\d\.)\s+", text):  # not after "3." of a list
        while sms_length(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            chunks.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if sentence:
            chunks.append(sentence)
    return chunks


def reportable(answer: Answer) -> dict[str, str] | None:
    """What an answer to a question was about (not "I didn't understand"), for people to rate it or report it wrong."""
    return answer.about.as_dict() if answer.about is not None and answer.about.outcome != FALLBACK else None


def render(answer: Answer, channel: str, with_disclaimer: bool = False) -> list[BotMessage]:
    """Rasa-ready messages for a channel. SMS carries its pages and options in `custom` for the SMS channel."""
    if channel == SMS:
        reply = render_sms(answer, with_disclaimer)
        paging = SmsPaging(more=reply.more, options=[{"title": o.title, "payload": o.payload} for o in reply.options])
        first = BotMessage(text=reply.text, custom=Custom(sms=paging))
        about = reportable(answer)
        if about:
            first["custom"]["answer"] = about
        return [first] + [BotMessage(text=text) for text in reply.urgent_followups]
    return render_web(answer, with_disclaimer)

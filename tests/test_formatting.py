"""The one formatting layer: web output keeps links and buttons; SMS is plain, short and numbered."""

from __future__ import annotations

import datetime as dt

from bot import texts
from bot.answers import Answer, Link, Option
from bot.formatting import MORE_HINT, SMS, WEB, _paginate, plain_text, render, render_sms, render_web, segments
from bot.queries import Source

SOURCE = Source("https://example.org/law", "Test law page", "Test publisher", dt.date(2026, 11, 28))


def _answer(**extra) -> Answer:
    fields = dict(
        paragraphs=["Ohio: A long web summary. It has two sentences."],
        sms_paragraphs=["Ohio: Short SMS summary."],
        bullets=["Covers: drug possession."],
        links=[Link("Test program", "https://example.org/p", "555-0100")],
        sources=[SOURCE],
        options=[Option("How to use naloxone", "/ask_naloxone_howto"), Option("Hotlines", "/ask_hotline")],
    )
    fields.update(extra)
    return Answer(**fields)


def test_web_has_text_links_sources_and_buttons():
    [message] = render_web(_answer(), with_disclaimer=True)
    text = message["text"]
    assert text.startswith("Ohio: A long web summary.")
    assert "- Covers: drug possession." in text
    assert "Test program: 555-0100, https://example.org/p" in text
    assert "Source" not in text  # the sources go in a list the widget shows collapsed
    assert message["custom"]["sources"] == [
        {
            "title": "Test law page",
            "publisher": "Test publisher",
            "checked": "Nov 2026",
            "url": "https://example.org/law",
        }
    ]
    assert text.endswith(texts.text("format.disclaimer"))
    assert message["buttons"] == [
        {"title": "How to use naloxone", "payload": "/ask_naloxone_howto"},
        {"title": "Hotlines", "payload": "/ask_hotline"},
    ]


def test_sms_uses_short_summary_numbered_options_and_no_buttons():
    reply = render_sms(_answer())
    assert reply.text.startswith("Ohio: Short SMS summary.")
    assert "long web summary" not in reply.text
    assert reply.text.endswith("Reply 1 for How to use naloxone, 2 for Hotlines.")
    assert "Source: Test publisher, checked Nov 2026: https://example.org/law" in reply.text
    assert reply.more == [] and segments(reply.text) <= 2


def test_sms_pages_long_content_behind_more():
    steps = [f"Step number {n} says something useful and plain for the person." for n in range(1, 16)]
    reply = render_sms(_answer(steps=steps))
    pages = [reply.text] + reply.more
    assert len(pages) > 1
    assert all(segments(page) <= 2 for page in pages)
    assert all(page.endswith(MORE_HINT) for page in pages[:-1])
    assert pages[-1].endswith("2 for Hotlines.")
    joined = "\n".join(pages)
    assert all(step in joined for step in steps)  # nothing lost


def test_sms_one_huge_sentence_is_still_split():
    reply = render_sms(Answer(paragraphs=["word " * 400]))
    assert all(segments(page) <= 2 for page in [reply.text] + reply.more)


def test_plain_text_removes_markdown_and_fancy_quotes():
    assert plain_text("**Call** 911 — don’t wait…") == "Call 911 - don't wait..."


def test_sms_writes_the_vowels_gsm_lacks_without_their_accent():
    """One "á" would make a whole text UCS-2 and page a Spanish answer after 134 characters."""
    assert plain_text("Información: ¿Está aquí? Sí, pídala ahí. Niño, pingüino, café.") == (
        "Informacion: ¿Esta aqui? Si, pidala ahi. Niño, pingüino, café."
    )
    summary = "Ohio: La naloxona está disponible en las farmacias sin receta médica y también por correo. " * 3
    reply = render_sms(Answer(paragraphs=[summary.strip()], language="es"))
    assert reply.more == [] and segments(reply.text) == 2  # 270 characters: two GSM segments, not five UCS-2


def test_sms_what_fits_without_the_more_hint_goes_on_the_last_page():
    """The last page needs no "Reply MORE": a tail that fits there without the hint is not a page of its own."""
    limit, hint = 306, MORE_HINT
    room = limit - len(hint) - 1
    assert _paginate(["a" * (room - 10), "b" * 15], limit, "", hint) == ["a" * (room - 10) + "\n" + "b" * 15]
    first, second = _paginate(["a" * (room - 10), "b" * 40], limit, "", hint)  # too long for one page
    assert first == "a" * (room - 10) + "\n" + hint and second == "b" * 40


def test_sms_full_answer_hint_comes_after_the_numbered_replies():
    more = Option(texts.text("option.more"), "/ask_more")
    reply = render_sms(_answer(options=[more, *_answer().options]))
    assert reply.text.endswith("2 for Hotlines. " + texts.text("format.more_details"))


def test_unicode_text_gets_the_smaller_segment_size():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("ñ" * 160) == 1  # ñ is in the GSM alphabet
    assert segments("😀" * 40) == 2


def test_render_by_channel():
    web = render(_answer(), WEB)
    sms = render(_answer(), SMS)
    assert "buttons" in web[0] and "buttons" not in sms[0]
    assert sms[0]["custom"]["sms"]["options"][0] == {"title": "How to use naloxone", "payload": "/ask_naloxone_howto"}


def test_urgent_sms_is_sent_whole_without_more():
    steps = [f"Emergency step {n} with enough words to need room on a phone." for n in range(1, 10)]
    messages = render(Answer(paragraphs=["Call 911 now."], steps=steps, urgent=True), SMS)
    assert messages[0]["text"].startswith("Call 911 now.")
    assert len(messages) > 1 and all(MORE_HINT not in m["text"] for m in messages)
    assert all(segments(m["text"]) <= 3 for m in messages)
    assert messages[0]["custom"]["sms"]["more"] == []


def test_sms_keeps_underscores_in_links():
    reply = render_sms(Answer(paragraphs=["See https://example.org/Naloxone_Reversal.aspx now."]))
    assert "Naloxone_Reversal.aspx" in reply.text


def test_sms_gives_one_short_source_link_and_more_as_the_keyword():
    long = Source(
        "https://codes.ohio.gov/ohio-revised-code/section-2925.11-very-long-path",
        "Law",
        "Ohio LSC",
        dt.date(2026, 11, 1),
    )
    answer = _answer(sources=[long], options=[Option("More", "/ask_more"), Option("Hotlines", "/ask_hotline")])
    reply = render_sms(answer)
    text = "\n".join([reply.text] + reply.more)
    assert "checked Nov 2026: codes.ohio.gov" in text and "very-long-path" not in text
    assert "Reply MORE for the full answer." in text and "for More" not in text
    assert [option.payload for option in reply.options] == ["/ask_hotline"]


def test_links_say_whether_the_service_speaks_the_answers_language_when_the_data_says():
    links = [
        Link("Bilingual line", "https://example.org/b", None, ("en", "es")),
        Link("English-only line", "https://example.org/e", None, ("en",)),
        Link("Line of unknown languages", "https://example.org/u"),
    ]
    spanish = render_web(_answer(links=links, language="es"))[0]["text"]
    assert "Bilingual line (en español): https://example.org/b" in spanish
    assert "English-only line (sin servicio en español): https://example.org/e" in spanish
    assert "Line of unknown languages: https://example.org/u" in spanish  # no claim the data cannot back
    english = render_web(_answer(links=links))[0]["text"]
    assert "(" not in english.split(texts.text("format.next_step"))[1]
    assert "Bilingual line (en español)" in render_sms(_answer(links=links, language="es")).text

"""Blocks fitted to each platform: within every limit, split between words, nothing lost, nothing pings."""

from __future__ import annotations

import re

import pytest

from bot.console.render import CONSOLE_LIMITS, neutralise_console
from bot.discord.limits import DISCORD_LIMITS, neutralise_discord
from bot.slack.mrkdwn import SLACK_LIMITS, escape_mrkdwn
from briefings.render import (
    CONTINUED,
    MORE,
    Block,
    BulletList,
    Context,
    FieldItem,
    Fields,
    Heading,
    Limits,
    Link,
    Paragraph,
    Reply,
    block_chars,
    paginate,
    render_pages,
    sections_of,
    split_text,
)

# Each adapter's limits and its rule for article text, as its renderer passes them.
PLATFORMS = {
    "discord": (DISCORD_LIMITS, neutralise_discord),
    "slack": (SLACK_LIMITS, escape_mrkdwn),
    "console": (CONSOLE_LIMITS, neutralise_console),
}
LIMITS = {name: limits for name, (limits, _) in PLATFORMS.items()}


def _pages(reply: Reply, platform: str) -> list[list[Block]]:
    limits, rule = PLATFORMS[platform]
    return render_pages(reply, limits, rule)


# Words of varied length, so a cut at a fixed width would usually land inside one.
_WORDS = [
    "river",
    "dam",
    "flood",
    "evacuated",
    "governor",
    "emergency",
    "Marenport",
    "rescue",
    "boats",
    "rooftops",
    "valley",
]


def _prose(n_words: int, seed: int = 0) -> str:
    return " ".join(f"{_WORDS[(i * 7 + seed) % len(_WORDS)]}{i}" for i in range(n_words))


def _assert_within(page: list[Block], limits: Limits) -> None:
    sections = sections_of(page)
    if limits.sections_per_message is not None:
        assert len(sections) <= limits.sections_per_message
    if limits.blocks_per_message is not None:
        assert len(page) <= limits.blocks_per_message
    if limits.message_chars is not None:
        assert sum(block_chars(b) for b in page) <= limits.message_chars
    for section in sections:
        running = sum(block_chars(b) + 1 for b in section if isinstance(b, Paragraph | BulletList | Link))
        if limits.section_text is not None:
            assert running <= limits.section_text + 1
            assert sum(isinstance(b, Context) for b in section) <= 1
        fields = sum(len(b.fields) for b in section if isinstance(b, Fields))
        if limits.fields_per_block is not None and limits.section_text is not None:
            assert fields <= limits.fields_per_block
    for block in page:
        if isinstance(block, Heading) and limits.heading is not None:
            assert len(block.text) <= limits.heading
        if isinstance(block, Paragraph | BulletList) and limits.text is not None:
            assert block_chars(block) <= limits.text
        if isinstance(block, Fields):
            if limits.fields_per_block is not None:
                assert len(block.fields) <= limits.fields_per_block
            for f in block.fields:
                assert limits.field_name is None or len(f.name) <= limits.field_name
                assert limits.field_value is None or len(f.value) <= limits.field_value
        if isinstance(block, Context):
            if limits.context_elements is not None:
                assert len(block.elements) <= limits.context_elements
            if limits.context_text is not None:
                assert len(" · ".join(block.elements)) <= limits.context_text


def _words_of(pages: list[list[Block]]) -> list[str]:
    words: list[str] = []
    for page in pages:
        for block in page:
            texts: list[str] = []
            if isinstance(block, Paragraph):
                texts = [block.text]
            elif isinstance(block, BulletList):
                texts = list(block.items)
            elif isinstance(block, Fields):
                texts = [f.value for f in block.fields]
            for text in texts:
                words.extend(
                    w for w in text.split() if w != CONTINUED.split()[0] and w != CONTINUED.split()[-1]
                )
    return words


def test_split_text_cuts_between_words_and_says_continued() -> None:
    text = _prose(300)
    pieces = split_text(text, 200)
    assert len(pieces) > 1
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.startswith(f"{CONTINUED} ") for p in pieces[1:])
    rebuilt = " ".join([pieces[0], *(p.removeprefix(f"{CONTINUED} ") for p in pieces[1:])])
    assert rebuilt == text  # no word cut, none lost
    assert split_text("short", 200) == ["short"]
    assert split_text(text, None) == [text]


def test_only_a_word_longer_than_the_limit_is_cut() -> None:
    pieces = split_text("see " + "x" * 50 + " end", 20)
    assert all(len(p) <= 20 for p in pieces)
    assert pieces[0] == "see"


@pytest.mark.parametrize("platform", ["discord", "slack", "console"])
def test_a_long_reply_fits_every_limit_of_the_platform(platform: str) -> None:
    blocks: list[Block] = []
    for n in range(14):
        blocks.append(Heading(text=f"Story {n}: " + " ".join(f"title{n}w{i}" for i in range(60))))
        blocks.append(Paragraph(text=_prose(900, n)))
        blocks.append(Fields(fields=[FieldItem(name=f"Person {i}", value=_prose(40, i)) for i in range(30)]))
        blocks.append(BulletList(items=[_prose(30, i) for i in range(40)]))
        blocks.append(Context(elements=[f"source {i}" for i in range(14)]))
        blocks.append(Link(text="Read the article", url="https://example.org/a"))
    pages = _pages(Reply(blocks=blocks), platform)
    limits = LIMITS[platform]
    for page in pages:
        _assert_within(page, limits)
    if platform == "console":
        assert len(pages) == 1
    else:
        assert len(pages) > 1
        for page in pages[:-1]:
            assert page[-1] == Context(elements=[MORE])
        assert pages[-1][-1] != Context(elements=[MORE])
    # Nothing is lost on the way: every word of the running text arrives, in order.
    sent = _words_of(pages)
    expected: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            expected.extend(block.text.split())
        elif isinstance(block, BulletList):
            for item in block.items:
                expected.extend(item.split())
        elif isinstance(block, Fields):
            for f in block.fields:
                expected.extend(f.value.split())
    # Long headings are shortened but repeated in full as a paragraph: those words come on top.
    assert [w for w in sent if not w.startswith(("title", "Story")) and not w.endswith(":")] == expected


def test_a_section_carried_to_the_next_page_repeats_its_heading() -> None:
    blocks: list[Block] = [Heading(text="Timeline"), BulletList(items=[_prose(25, i) for i in range(300)])]
    pages = paginate(blocks, LIMITS["discord"])
    assert len(pages) > 1
    assert pages[0][0] == Heading(text="Timeline")
    assert pages[1][0] == Heading(text=f"Timeline {CONTINUED}")


def test_too_many_fields_for_one_slack_section_become_several() -> None:
    fields = Fields(fields=[FieldItem(name=f"n{i}", value="v") for i in range(23)])
    pages = paginate([fields], LIMITS["slack"])
    assert [len(b.fields) for b in pages[0] if isinstance(b, Fields)] == [10, 10, 3]


def test_a_long_field_value_continues_in_a_field_of_the_same_name() -> None:
    fields = Fields(fields=[FieldItem(name="Ilse Varga", value=_prose(400))])
    (page,) = paginate([fields], LIMITS["discord"])
    shown = [f for b in page if isinstance(b, Fields) for f in b.fields]
    assert [f.name for f in shown][:2] == ["Ilse Varga", f"Ilse Varga {CONTINUED}"]
    assert all(len(f.value) <= 1024 for f in shown)


def test_a_long_heading_is_shortened_and_kept_whole_below() -> None:
    text = _prose(40)
    blocks = paginate([Heading(text=text)], LIMITS["slack"])[0]
    assert isinstance(blocks[0], Heading) and blocks[0].text.endswith("…") and len(blocks[0].text) <= 150
    assert isinstance(blocks[1], Paragraph) and blocks[1].text == text


def test_a_short_reply_is_one_page_as_it_was() -> None:
    blocks: list[Block] = [
        Heading(text="Floods"),
        Paragraph(text="Water rose."),
        Context(elements=["1 source"]),
    ]
    for platform in ("discord", "slack", "console"):
        assert _pages(Reply(blocks=blocks), platform) == [blocks]


@pytest.mark.parametrize(
    "text",
    [
        "@everyone the dam broke",
        "ping @here now",
        "hello <@123456789012345678> and <@!123456789012345678>",
        "role <@&123456789012345678> channel <#123456789012345678>",
    ],
)
def test_article_text_cannot_ping_on_discord(text: str) -> None:
    safe = neutralise_discord(text)
    assert not re.search(r"@(everyone|here)\b", safe)
    assert not re.search(r"<(@[!&]?|#)\d+>", safe)
    assert safe.replace("\u200b", "") == text  # a reader sees the same words


@pytest.mark.parametrize(
    "text",
    ["<!channel> look", "<!here|here> and <!everyone>", "hi <@U024BE7LH>", "@channel @here @everyone"],
)
def test_article_text_cannot_ping_on_slack(text: str) -> None:
    safe = escape_mrkdwn(text)
    assert "<" not in safe and ">" not in safe
    assert not re.search(r"@(channel|here|everyone)\b", safe)


def test_slack_escapes_ampersands_and_angle_brackets() -> None:
    assert escape_mrkdwn("R&D <b> 5 > 3") == "R&amp;D &lt;b&gt; 5 &gt; 3"


def test_console_text_loses_escape_sequences() -> None:
    assert neutralise_console("\x1b[31mred\x1b[0m and\tplain\nline\x07") == "red and\tplain\nline"


def test_limits_are_measured_after_escaping() -> None:
    text = "&" * 2000 + " " + "&" * 1500
    (page,) = _pages(Reply(blocks=[Paragraph(text=text)]), "slack")
    assert all(block_chars(b) <= 3000 for b in page)
    assert sum(b.text.count("&amp;") for b in page if isinstance(b, Paragraph)) == 3500

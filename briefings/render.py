"""Platform-neutral replies: blocks, and pages that fit whatever size limits a platform states.

Answers are lists of blocks. Each chat adapter states its platform's `Limits` and its rule for making
article text safe to post (a `Neutraliser`); it then only converts the pages `render_pages` gives it to
its own payloads. Everything about size is settled here, by `paginate`:

- A `Heading` or a `Divider` starts a new *section* (on some platforms one card, on others a run of blocks).
- A block larger than its platform allows is split between words, never inside one; the parts after the
  first say "(continued)". A list splits between items, fields between fields.
- Pages (messages) hold as many sections as the platform allows; every page but the last ends with a
  "more…" section (a divider and a context line), and a section carried over to the next page repeats
  its heading with "(continued)".

Text from articles is neutralised by the adapter's rule first, so that no article can mention anyone on
its platform, and limits are measured on the text that will be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

CONTINUED = "(continued)"
MORE = "more…"


# ---------------------------------------------------------------------------------------------- blocks


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Heading(_Block):
    """The title of a section: a story's headline, a person's name."""

    kind: Literal["heading"] = "heading"
    text: str


class Paragraph(_Block):
    """Running text: a digest, a quote, a message."""

    kind: Literal["paragraph"] = "paragraph"
    text: str


class FieldItem(_Block):
    """A labelled value: "Donald Trump" → "US President · tweeted …"."""

    name: str
    value: str
    inline: bool = False


class Fields(_Block):
    """Labelled values shown together (a card's fields, a section's fields)."""

    kind: Literal["fields"] = "fields"
    fields: list[FieldItem]


class BulletList(_Block):
    """Items one per line, bulleted or numbered."""

    kind: Literal["list"] = "list"
    items: list[str]
    ordered: bool = False


class Context(_Block):
    """Small print: sources, dates, counts, "more…" (a card's footer, a context line)."""

    kind: Literal["context"] = "context"
    elements: list[str]


class Link(_Block):
    """A link to read more: an article's page."""

    kind: Literal["link"] = "link"
    text: str
    url: str


class Divider(_Block):
    """A break between sections."""

    kind: Literal["divider"] = "divider"


Block = Annotated[
    Heading | Paragraph | Fields | BulletList | Context | Link | Divider, Field(discriminator="kind")
]


class Reply(BaseModel):
    """An answer as blocks, before it is fitted to a platform."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocks: list[Block] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """What one platform accepts, in characters and counts; None where it sets no limit."""

    heading: int | None = None  # a section's title
    text: int | None = None  # one paragraph or list
    section_text: int | None = None  # all running text of one section, where a section is one card
    fields_per_block: int | None = None  # labelled values in one block (or one card)
    field_name: int | None = None
    field_value: int | None = None
    context_elements: int | None = None  # pieces of one line of small print
    context_text: int | None = None
    link_text: int | None = None
    sections_per_message: int | None = None  # cards in one message
    blocks_per_message: int | None = None  # blocks in one message
    message_chars: int | None = None  # characters across a whole message


# ------------------------------------------------------------------------------------- neutralising

Neutraliser = Callable[[str], str]


def _unchanged(text: str) -> str:
    return text


def neutralise_block(block: Block, safe: Neutraliser) -> Block:
    """A block with all of its text passed through a platform's neutraliser (a link's URL is left as it is)."""
    if isinstance(block, Heading | Paragraph):
        return block.model_copy(update={"text": safe(block.text)})
    if isinstance(block, Fields):
        fields = [f.model_copy(update={"name": safe(f.name), "value": safe(f.value)}) for f in block.fields]
        return block.model_copy(update={"fields": fields})
    if isinstance(block, BulletList):
        return block.model_copy(update={"items": [safe(i) for i in block.items]})
    if isinstance(block, Context):
        return block.model_copy(update={"elements": [safe(e) for e in block.elements]})
    if isinstance(block, Link):
        return block.model_copy(update={"text": safe(block.text)})
    return block


# ------------------------------------------------------------------------------------- splitting text


def split_text(text: str, limit: int | None, marker: str = CONTINUED) -> list[str]:
    """Text in pieces of at most `limit` characters, cut between words; later pieces start with `marker`.

    Only a single word longer than a whole piece (a very long URL) is ever cut inside.
    """
    if limit is None or len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    prefix = ""
    while rest:
        room = limit - len(prefix)
        if room <= 0:
            raise ValueError(f"a limit of {limit} characters has no room for {marker!r}")
        if len(rest) <= room:
            pieces.append(prefix + rest)
            break
        cut = max(rest.rfind(" ", 0, room + 1), rest.rfind("\n", 0, room + 1))
        if cut <= 0:
            cut = _inside_word_cut(rest, room)  # one word longer than the whole room
            head, rest = rest[:cut], rest[cut:]
        else:
            head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        pieces.append(prefix + head)
        prefix = f"{marker} " if marker else ""
    return pieces


def _inside_word_cut(text: str, room: int) -> int:
    """Where to cut a word longer than the room: at the room, but never inside an entity like "&amp;"."""
    amp = text.rfind("&", max(0, room - 5), room)
    if amp > 0 and ";" not in text[amp:room]:
        return amp
    return room


def _list_line(item: str, number: int | None) -> str:
    return f"{number}. {item}" if number is not None else f"• {item}"


def list_text(block: BulletList, start: int = 1) -> str:
    """A list as the lines adapters show ("• item" or "1. item")."""
    return "\n".join(
        _list_line(item, start + i if block.ordered else None) for i, item in enumerate(block.items)
    )


def _split_list(block: BulletList, limit: int | None) -> list[BulletList]:
    if limit is None or len(list_text(block)) <= limit:
        return [block]
    parts: list[BulletList] = []
    current: list[str] = []
    size = 0
    number_room = len(str(len(block.items))) + 2
    for item in block.items:
        # An item too long for a list on its own is split into items marked "(continued)".
        for piece in split_text(item, limit - number_room):
            line = len(piece) + number_room + (1 if current else 0)
            if current and size + line > limit:
                parts.append(block.model_copy(update={"items": current}))
                current, size = [], 0
                line -= 1
            current.append(piece)
            size += line
    if current:
        parts.append(block.model_copy(update={"items": current}))
    return parts


def _split_fields(block: Fields, limits: Limits) -> list[Fields]:
    fields: list[FieldItem] = []
    for field_item in block.fields:
        name = split_text(field_item.name, limits.field_name, marker="")[0]
        if name != field_item.name:
            name = split_text(field_item.name, (limits.field_name or 2) - 1, marker="")[0] + "…"
        values = split_text(field_item.value, limits.field_value)
        for i, value in enumerate(values):
            shown = name if i == 0 else split_text(f"{name} {CONTINUED}", limits.field_name, marker="")[0]
            fields.append(FieldItem(name=shown, value=value, inline=field_item.inline))
    # A block must fit a page beside a "(continued)" heading and the "more…" line.
    budget = _block_budget(limits)
    parts: list[Fields] = []
    current: list[FieldItem] = []
    chars = 0
    for field_item in fields:
        size = len(field_item.name) + len(field_item.value)
        full = limits.fields_per_block is not None and len(current) >= limits.fields_per_block
        if current and (full or (budget is not None and chars + size > budget)):
            parts.append(Fields(fields=current))
            current, chars = [], 0
        current.append(field_item)
        chars += size
    if current:
        parts.append(Fields(fields=current))
    return parts


def _block_budget(limits: Limits) -> int | None:
    if limits.message_chars is None:
        return None
    heading = (limits.heading or 0) + len(CONTINUED) + 1
    return limits.message_chars - heading - len(MORE)


def _split_context(block: Context, limits: Limits) -> list[Context]:
    elements = [p for e in block.elements for p in split_text(e, limits.context_text)]
    parts: list[list[str]] = [[]]
    for element in elements:
        current = parts[-1]
        joined = len(" · ".join([*current, element]))
        full = limits.context_elements is not None and len(current) >= limits.context_elements
        if current and (full or (limits.context_text is not None and joined > limits.context_text)):
            parts.append([element])
        else:
            current.append(element)
    return [Context(elements=p) for p in parts if p]


def fit_block(block: Block, limits: Limits) -> list[Block]:
    """One block as one or more blocks that each fit the platform's limits for their kind."""
    if isinstance(block, Heading):
        if limits.heading is None or len(block.text) <= limits.heading:
            return [block]
        # A heading cannot continue: its opening stands as the heading, the whole of it follows as text.
        head = split_text(block.text, limits.heading - 1, marker="")[0] + "…"
        return [Heading(text=head), *fit_block(Paragraph(text=block.text), limits)]
    if isinstance(block, Paragraph):
        limit = min(x for x in (limits.text, limits.section_text, 10**9) if x is not None)
        return [Paragraph(text=t) for t in split_text(block.text, None if limit == 10**9 else limit)]
    if isinstance(block, BulletList):
        return list(_split_list(block, limits.text))
    if isinstance(block, Fields):
        return list(_split_fields(block, limits))
    if isinstance(block, Context):
        return list(_split_context(block, limits))
    if isinstance(block, Link):
        text = split_text(block.text, limits.link_text, marker="")[0]
        return [block if text == block.text else block.model_copy(update={"text": text[:-1] + "…"})]
    return [block]


# ------------------------------------------------------------------------------------------ pages


def block_chars(block: Block) -> int:
    """The characters a block counts for in a platform's total per message."""
    if isinstance(block, Heading | Paragraph):
        return len(block.text)
    if isinstance(block, Fields):
        return sum(len(f.name) + len(f.value) for f in block.fields)
    if isinstance(block, BulletList):
        return len(list_text(block))
    if isinstance(block, Context):
        return len(" · ".join(block.elements))
    if isinstance(block, Link):
        # A link is sent as markup that holds its address as well as its text ([text](url), <url|text>).
        return len(block.text) + len(block.url) + 4
    return 0


def sections_of(blocks: Iterable[Block]) -> list[list[Block]]:
    """Blocks grouped into sections: a `Heading` or a `Divider` starts a new one."""
    sections: list[list[Block]] = []
    for block in blocks:
        if isinstance(block, Heading | Divider) or not sections:
            sections.append([])
        sections[-1].append(block)
    return sections


def _section_overflows(section: list[Block], block: Block, limits: Limits) -> bool:
    """Whether one more block breaks a limit of a section as a whole (where a section is one card)."""
    if limits.section_text is not None and isinstance(block, Paragraph | BulletList | Link):
        running = sum(block_chars(b) + 1 for b in section if isinstance(b, Paragraph | BulletList | Link))
        if running + block_chars(block) > limits.section_text:
            return True
    if limits.fields_per_block is not None and limits.section_text is not None and isinstance(block, Fields):
        # Where a section is one card, every field of the section lands in that card.
        count = sum(len(b.fields) for b in section if isinstance(b, Fields))
        if count + len(block.fields) > limits.fields_per_block:
            return True
    if limits.section_text is not None and isinstance(block, Context):
        # One line of small print per card: a second one starts a section of its own.
        return any(isinstance(b, Context) for b in section)
    return False


def _fit_sections(blocks: list[Block], limits: Limits) -> list[list[Block]]:
    """Sections whose blocks each fit, split where a section as a whole would not."""
    fitted: list[list[Block]] = []
    for section in sections_of(blocks):
        heading = section[0] if isinstance(section[0], Heading) else None
        current: list[Block] = []
        for block in (b for original in section for b in fit_block(original, limits)):
            if current and _section_overflows(current, block, limits):
                fitted.append(current)
                current = [Heading(text=_continued(heading.text, limits))] if heading is not None else []
            current.append(block)
        if current:
            fitted.append(current)
    return fitted


def _continued(heading: str, limits: Limits) -> str:
    text = f"{heading} {CONTINUED}"
    if limits.heading is None or len(text) <= limits.heading:
        return text
    room = limits.heading - len(CONTINUED) - 2
    return split_text(heading, room, marker="")[0] + "… " + CONTINUED


def _more_section() -> list[Block]:
    return [Divider(), Context(elements=[MORE])]


def _page_fits(page: list[list[Block]], section: list[Block], limits: Limits) -> bool:
    # Every page keeps room for the "more…" section, whether or not it turns out to need it.
    sections = [*page, section, _more_section()]
    if limits.sections_per_message is not None and len(sections) > limits.sections_per_message:
        return False
    if limits.blocks_per_message is not None and sum(map(len, sections)) > limits.blocks_per_message:
        return False
    chars = sum(block_chars(b) for s in sections for b in s)
    return limits.message_chars is None or chars <= limits.message_chars


def _split_section(section: list[Block], limits: Limits) -> list[list[Block]]:
    """A section too big for a page of its own, as sections that each fit one."""
    heading = section[0] if isinstance(section[0], Heading) else None
    parts: list[list[Block]] = []
    current: list[Block] = []
    for block in section:
        if current and not _page_fits([], [*current, block], limits):
            parts.append(current)
            current = [Heading(text=_continued(heading.text, limits))] if heading is not None else []
        current.append(block)
    if current:
        parts.append(current)
    return parts


def paginate(blocks: list[Block], limits: Limits) -> list[list[Block]]:
    """Blocks grouped into pages (messages) that each fit the limits, "more…" at the end of all but the last."""
    pages: list[list[list[Block]]] = [[]]
    for fitted in _fit_sections(blocks, limits):
        for section in [fitted] if _page_fits([], fitted, limits) else _split_section(fitted, limits):
            if pages[-1] and not _page_fits(pages[-1], section, limits):
                pages.append([])
            pages[-1].append(section)
    flat = [[b for section in page for b in section] for page in pages if page]
    for page in flat[:-1]:
        page.extend(_more_section())
    return flat or [[]]


def render_pages(reply: Reply, limits: Limits, neutralise: Neutraliser = _unchanged) -> list[list[Block]]:
    """A reply neutralised by the platform's rule and cut into the pages (messages) its limits allow."""
    safe = [neutralise_block(b, neutralise) for b in reply.blocks]
    return paginate(safe, limits)

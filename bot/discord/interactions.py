"""Answering interactions: who and where from the payload, the command run, the reply sent as embeds.

The lifecycle (acknowledge within Discord's 3-second window, answer later, turn a reply private) is the
shared kit's (`bot.adapters.answering`); here a deferral is Discord's "briefbot is thinking…" and the
answer an interaction response, an edit of it, or follow-ups. Everything is sent with mentions disabled.
Refusals and failures go only to the person who asked (ephemeral), never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands

from bot.adapters.answering import Acknowledged, AnswerTiming, answer_request, finish_within
from bot.commands.dispatch import Outcome, refusal, run_command
from bot.commands.options import STORY_COMPLETION
from bot.commands.stories import StoryChoice
from bot.commands.table import Command, CommandContext, CommandServices
from bot.discord.embeds import RenderedReplies
from bot.discord.limits import DISCORD_CHOICE_CHARS, DISCORD_CHOICES
from bot.identity import Caller, ChannelRef
from bot.user_messages import NOT_IN_A_CHANNEL, UNREADABLE_OPTIONS

_log = logging.getLogger(__name__)

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER_S = 1.5  # well inside the 3 s Discord allows for the first response
SLOW_DEFER_AFTER_S = 0.25
COMPLETE_WITHIN_S = 2.0


def channel_ref(interaction: discord.Interaction) -> ChannelRef | None:
    """The channel an interaction comes from (None outside a server)."""
    if interaction.guild_id is None or interaction.channel_id is None:
        return None
    channel = interaction.channel
    guild = interaction.guild
    return ChannelRef(
        platform=PLATFORM,
        workspace=str(interaction.guild_id),
        channel=str(interaction.channel_id),
        channel_name=(f"#{channel.name}"[:200] if isinstance(channel, discord.abc.GuildChannel) else None),
        workspace_name=(guild.name[:200] if guild is not None and guild.name else None),
    )


def caller_of(interaction: discord.Interaction) -> Caller:
    """The person asking; a channel admin has Manage Channels or Manage Server here (or Administrator)."""
    permissions = interaction.permissions
    return Caller(
        user_id=str(interaction.user.id),
        display_name=interaction.user.display_name[:200],
        is_channel_admin=permissions.administrator or permissions.manage_channels or permissions.manage_guild,
    )


class InteractionResponder:
    """Discord's half of the answer lifecycle for one interaction."""

    def __init__(self, interaction: discord.Interaction, rendered: RenderedReplies, name: str) -> None:
        self.interaction = interaction
        self.rendered = rendered
        self.name = name

    async def acknowledge(self, private: bool) -> bool:
        """Tell Discord the answer is coming ("briefbot is thinking…"); False when that failed."""
        try:
            await self.interaction.response.defer(thinking=True, ephemeral=private)
        except discord.HTTPException as exc:
            _log.warning("/%s: could not acknowledge the interaction: %s", self.name, exc)
            return False
        return True

    async def send(self, outcome: Outcome, acknowledged: Acknowledged | None) -> None:
        """The answer as the interaction's response, an edit of "thinking…", and follow-ups."""
        interaction = self.interaction
        messages = self.rendered.messages(outcome.reply, refused=outcome.refused)
        private = outcome.ephemeral
        try:
            if acknowledged is None:
                await interaction.response.send_message(
                    embeds=messages[0], ephemeral=private, allowed_mentions=NO_MENTIONS
                )
            elif acknowledged.must_turn_private(outcome):
                # A public "thinking…" message cannot turn private: remove it and answer privately.
                await interaction.delete_original_response()
                await interaction.followup.send(
                    embeds=messages[0], ephemeral=True, allowed_mentions=NO_MENTIONS
                )
            else:
                await interaction.edit_original_response(embeds=messages[0], allowed_mentions=NO_MENTIONS)
            for embeds in messages[1:]:
                await interaction.followup.send(
                    embeds=embeds, ephemeral=private, allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException as exc:
            _log.warning("could not answer interaction %s: %s", interaction.id, exc)


class InteractionAnswerer:
    """Runs the table's commands for Discord interactions and sends their replies."""

    def __init__(self, services: CommandServices, defer_after_s: float = DEFER_AFTER_S) -> None:
        self.services = services
        self.defer_after_s = defer_after_s
        self.rendered = RenderedReplies()

    async def answer(
        self, interaction: discord.Interaction, command: Command[Any], values: Mapping[str, object]
    ) -> None:
        """Run the command and send its reply (deferring first when it may take long)."""
        responder = InteractionResponder(interaction, self.rendered, command.name)
        ref = channel_ref(interaction)
        if ref is None:
            await responder.send(refusal(NOT_IN_A_CHANNEL), None)
            return
        context = CommandContext(ref, caller_of(interaction), self.services)
        timing = AnswerTiming(self.defer_after_s, SLOW_DEFER_AFTER_S)
        await answer_request(command, lambda: run_command(command, values, context), responder, timing)

    async def complete(
        self, interaction: discord.Interaction, completion: str, current: str
    ) -> list[app_commands.Choice[str]]:
        """Completions for an option: a story's name from this channel's stories (none when not set up)."""
        ref = channel_ref(interaction)
        if ref is None or completion != STORY_COMPLETION:
            return []
        typed = current[:DISCORD_CHOICE_CHARS]

        async def choices() -> list[StoryChoice]:
            news = await self.services.stories.news_for(ref)
            return news.choices(typed, DISCORD_CHOICES, DISCORD_CHOICE_CHARS)

        # Still being built, not set up, database away: no completions; the command itself will explain.
        found = await finish_within(choices(), COMPLETE_WITHIN_S, [], f"completions for {ref.key()}")
        return [app_commands.Choice(name=c.name, value=c.value) for c in found]

    async def on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """An error raised before or around our answer (a value discord.py could not convert): tell the person."""
        _log.warning("interaction %s failed: %s", interaction.id, error, exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete or interaction.response.is_done():
            return
        responder = InteractionResponder(interaction, self.rendered, "?")
        await responder.send(refusal(UNREADABLE_OPTIONS), None)

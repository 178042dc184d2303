"""Answering interactions: who and where from the payload, the command run, the reply sent as embeds.

The answer is acknowledged within Discord's 3-second window: a command declared slow is deferred when it
has not finished after a quarter of a second, any other after `defer_after_s`. Everything is sent with
mentions disabled. Refusals and failures go only to the person who asked (ephemeral), never a stack trace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands

from bot.commands.dispatch import Outcome, refusal, run_command
from bot.commands.options import STORY_COMPLETION
from bot.commands.table import Command, CommandContext, CommandServices
from bot.discord.embeds import RenderedReplies
from bot.identity import Caller, ChannelRef

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
        ref = channel_ref(interaction)
        if ref is None:
            await self._send(interaction, refusal("briefbot answers in server channels, not here."), False)
            return
        context = CommandContext(ref, caller_of(interaction), self.services)
        # The command runs here; if it has not finished in time, a timer acknowledges it meanwhile.
        acknowledging: list[asyncio.Task[bool]] = []
        delay = min(SLOW_DEFER_AFTER_S, self.defer_after_s) if command.slow else self.defer_after_s
        timer = asyncio.get_running_loop().call_later(
            delay, lambda: acknowledging.append(asyncio.ensure_future(self._defer(interaction, command)))
        )
        try:
            outcome = await run_command(command, values, context)
        finally:
            timer.cancel()
        deferred = await acknowledging[0] if acknowledging else False
        await self._send(interaction, outcome, deferred, deferred_ephemeral=command.ephemeral)

    async def _defer(self, interaction: discord.Interaction, command: Command[Any]) -> bool:
        """Tell Discord the answer is coming ("briefbot is thinking…"); False when that failed."""
        try:
            await interaction.response.defer(thinking=True, ephemeral=command.ephemeral)
        except discord.HTTPException as exc:
            _log.warning("/%s: could not acknowledge the interaction: %s", command.name, exc)
            return False
        return True

    async def _send(
        self,
        interaction: discord.Interaction,
        outcome: Outcome,
        deferred: bool,
        deferred_ephemeral: bool = False,
    ) -> None:
        messages = self.rendered.messages(outcome.reply, refused=outcome.refused)
        private = outcome.ephemeral
        try:
            if not deferred:
                await interaction.response.send_message(
                    embeds=messages[0], ephemeral=private, allowed_mentions=NO_MENTIONS
                )
            elif private and not deferred_ephemeral:
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

    async def complete(
        self, interaction: discord.Interaction, completion: str, current: str
    ) -> list[app_commands.Choice[str]]:
        """Completions for an option: a story's name from this channel's stories (none when not set up)."""
        ref = channel_ref(interaction)
        if ref is None or completion != STORY_COMPLETION:
            return []
        reading = asyncio.ensure_future(self.services.stories.news_for(ref))
        reading.add_done_callback(_seen)  # it may finish after the answer; its error is not lost in the log
        try:
            news = await asyncio.wait_for(asyncio.shield(reading), COMPLETE_WITHIN_S)
        except TimeoutError:
            return []  # the stories are still being built; the next keystroke will have them
        except Exception as exc:  # not set up, database away: no completions, the command itself explains
            _log.debug("no completions for %s: %s", ref.key(), exc)
            return []
        return [app_commands.Choice(name=c.name, value=c.value) for c in news.choices(current[:100])]

    async def on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """An error raised before or around our answer (a value discord.py could not convert): tell the person."""
        _log.warning("interaction %s failed: %s", interaction.id, error, exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete or interaction.response.is_done():
            return
        outcome = refusal("briefbot could not read that command's options; please try again.")
        await self._send(interaction, outcome, deferred=False)


def _seen(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.debug("reading stories for completions failed: %s", task.exception())

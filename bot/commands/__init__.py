"""Every slash command declared once (`COMMANDS`), and running one for any platform (`run_command`)."""

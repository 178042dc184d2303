"""The Discord adapter: app commands built from the command table, embeds from the renderer's pages."""

"""Input channels: REST, the web chat widget (socket.io) and the SMS webhook, all through `turn.respond`."""

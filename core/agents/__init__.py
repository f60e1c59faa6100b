"""The chat brain: router, RAG and MMM analysts (offline, or Claude when keyed); entry point core.agents.ask.ask."""

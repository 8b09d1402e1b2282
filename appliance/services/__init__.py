"""The box's long-running services beside the web service: each an asyncio package."""

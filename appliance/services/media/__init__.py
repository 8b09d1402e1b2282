"""The box's media process (`residacoeur box media`): what a TV or a speaker plays,
made on the box (service.py)."""

"""A fictitious estate to try the box: two buildings, their tenants, staff and content."""

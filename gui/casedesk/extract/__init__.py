"""Fact extraction: dates, entities, quantities, events and claims (no Qt here)."""

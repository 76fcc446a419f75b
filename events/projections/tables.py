"""Read-model tables of the projections (imported by events.models so Django sees them)."""

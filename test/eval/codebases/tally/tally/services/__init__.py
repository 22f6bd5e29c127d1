"""Business logic on top of the data layer: timers, billing, reports, CSV import and export."""

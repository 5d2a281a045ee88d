"""Services: plain functions that own Byline's rules."""

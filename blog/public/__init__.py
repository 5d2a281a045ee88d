"""The public reading site."""

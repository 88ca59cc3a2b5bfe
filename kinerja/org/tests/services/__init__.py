"""Org services told as stories with the cast: who may change what, and what the trail shows."""

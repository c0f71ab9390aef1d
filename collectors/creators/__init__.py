"""Creators connect their own accounts: OAuth from the portal, token care, insights.

A creator grants read access to their own Instagram, TikTok or YouTube account on the
portal; the tokens land in the same encrypted `collectors.Connection` store as the
marketers' keys, tied to the creator's channel, and are pulled by the same dispatcher.
"""

"""Small helpers every app may use; below accounts in the layering, it imports no app."""

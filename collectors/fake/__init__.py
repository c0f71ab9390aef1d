"""One local fake server for every provider the collectors talk to.

It answers like the providers' real APIs (/work/shared/api-shapes.md: the same field
names, string counts, omissions, pagination and error envelopes), with plausible
numbers that grow day by day. Started by `manage.py fake_providers` and by the tests'
`fake_providers` fixture. See `server.py` for how to switch a request to an error.
"""

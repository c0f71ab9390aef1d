"""The roster as a spreadsheet: CSV import (preview, all-or-nothing) and export."""

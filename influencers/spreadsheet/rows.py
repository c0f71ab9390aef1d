"""CSV import and export of the roster (column format: docs/csv-format.md).

Import is two steps. `decode` and `parse` turn an upload into a Preview where every
row is cleaned and every problem is listed; `import_rows` writes a clean preview in
one transaction through the services. The views keep the uploaded text server-side
and parse it again on confirm, so nothing re-posted by the browser is trusted and a
duplicate saved in between is caught.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from common.validators import MAX_FOLLOWERS

from .. import handles, services
from ..handles import Platform
from ..models import STAGES_NEEDING_RESEARCH, Channel, Influencer, PendingImport, Stage

MAX_ROWS = 5000
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

PROFILE_COLUMNS = (
    "name",
    "email",
    "phone",
    "country",
    "city",
    "languages",
    "niches",
    "bio",
    "stage",
    "owner_email",
)
# Handle column -> its follower-count column (None: the platform has no follower count here).
CHANNEL_COLUMNS = {
    Platform.INSTAGRAM: "instagram_followers",
    Platform.TIKTOK: "tiktok_followers",
    Platform.YOUTUBE: "youtube_followers",
    Platform.X: "x_followers",
    Platform.FACEBOOK: "facebook_followers",
    Platform.BLOG: None,
    Platform.PODCAST: None,
    Platform.NEWSLETTER: None,
}
COLUMNS = (
    *PROFILE_COLUMNS,
    *(c for pair in CHANNEL_COLUMNS.items() for c in pair if c),
)
TEXT_FIELDS = ("name", "email", "phone", "country", "city", "bio")
TAG_SEPARATORS = re.compile(r"[;,]")

# Spreadsheets run cells starting with these as formulas; a leading quote makes them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# re.ASCII: 0-9 only, as in every number field (common.fields); "１２３" is not a count.
FOLLOWERS_PLAIN = re.compile(r"^\d{1,12}\Z", re.ASCII)
FOLLOWERS_GROUPED = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f ]\d{3})+\Z", re.ASCII)
FOLLOWERS_SHORT = re.compile(r"^(\d{1,9}(?:\.\d{1,6})?)\s*([km])\Z", re.IGNORECASE | re.ASCII)

EXAMPLE_ROWS = (
    {
        "name": "Nurul Aina",
        "email": "nurul@example.com",
        "phone": "+60 12-345 6789",
        "country": "Malaysia",
        "city": "George Town",
        "languages": "Malay; English",
        "niches": "food; travel",
        "bio": "Home cook sharing Penang street food.",
        "stage": Stage.PROSPECT.value,
        "instagram": "@nurul.eats",
        "instagram_followers": "12,500",
        "tiktok": "https://www.tiktok.com/@nurul.eats",
        "tiktok_followers": "8.2k",
    },
    {
        "name": "Daniel Tan",
        "country": "Singapore",
        "city": "Singapore",
        "languages": "English",
        "niches": "tech; gaming",
        "stage": Stage.RESEARCHED.value,
        "youtube": "https://www.youtube.com/@danieltech",
        "youtube_followers": "45000",
        "blog": "https://danieltan.example.com",
    },
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class RowChannel:
    platform: str
    column: str
    handle: str
    url: str
    followers: int | None

    def as_channel(self) -> Channel:
        """An unsaved channel, so the preview can show it like the roster does."""
        return Channel(
            platform=self.platform,
            handle=self.handle,
            profile_url=self.url,
            followers=self.followers,
        )


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    fields: dict = field(default_factory=dict)
    stage: str = Stage.PROSPECT
    channels: list[RowChannel] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def name(self) -> str:
        return self.fields.get("name", "")

    @property
    def email(self) -> str:
        return self.fields.get("email", "")

    @property
    def display_channels(self) -> list[Channel]:
        return [channel.as_channel() for channel in self.channels]


@dataclass
class Preview:
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def valid_rows(self) -> int:
        return len(self.rows) - self.rows_with_errors

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.rows_with_errors == 0


# --- Reading -------------------------------------------------------------------------


def max_bytes() -> int:
    return getattr(settings, "INFLUENCER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_size(size: int) -> None:
    if size > max_bytes():
        raise ImportFileError(
            _("The file is larger than %(size)s. Split it into smaller files.")
            % {"size": filesizeformat(max_bytes())}
        )


def decode(data: bytes) -> str:
    """The upload as text, or ImportFileError when it is too big or not UTF-8 CSV."""
    check_size(len(data))
    if b"\x00" in data:
        raise ImportFileError(
            _(
                "This is not a CSV text file (perhaps an Excel workbook or UTF-16 text). "
                "In your spreadsheet, save or download it as “CSV UTF-8”."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)”.")
        ) from exc
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


def read_table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The normalised header and the (row number, cells) of every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        header = [_column_name(cell) for cell in next(reader, [])]
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"}
                )
            records.append((number, cells))
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not valid CSV near line %(line)s (check the quotes in that line).")
            % {"line": reader.line_num}
        ) from exc
    _check_header(header)
    if not records:
        raise ImportFileError(_("The file has a header but no rows to import."))
    return header, records


def _column_name(cell: str) -> str:
    return re.sub(r" +", "_", cell.strip().lower())


def _check_header(header: list[str]) -> None:
    if "name" not in header:
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            raise ImportFileError(
                _("The columns are separated by semicolons or tabs. Save the file with commas.")
            )
        raise ImportFileError(
            _(
                "The required column “name” is missing. The first row must hold the column "
                "names; download the template to see them."
            )
        )
    seen = set()
    for name in header:
        if name and name in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears more than once.") % {"column": name}
            )
        seen.add(name)


def _cell(value: str) -> str:
    """A trimmed cell, without the quote our export puts before formula-like text."""
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        value = value[1:].strip()
    return value


def parse(text: str) -> Preview:
    """Every row cleaned and checked against the file and the database."""
    header, records = read_table(text)
    preview = Preview(rows=[])
    unknown = list(dict.fromkeys(name or _("(no name)") for name in header if name not in COLUMNS))
    if unknown:
        preview.warnings.append(
            _("Ignored unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    rows = [
        (number, cells, {name: _cell(cell) for name, cell in zip(header, cells, strict=False)})
        for number, cells in records
    ]
    owners = _owners({values.get("owner_email", "") for _number, _cells, values in rows})
    for number, cells, values in rows:
        row = Row(number=number)
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            row.error("", _("This row has more cells than the header has columns."))
        _clean_profile(row, values, owners)
        _clean_channels(row, values)
        preview.rows.append(row)
    _check_duplicates(preview.rows)
    return preview


def _owners(emails: set[str]) -> dict[str, User]:
    emails = {email.lower() for email in emails if email}
    if not emails:
        return {}
    marketers = User.objects.marketers().filter(is_active=True)
    return {
        user.email.lower(): user
        for user in marketers.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }


def _clean_profile(row: Row, values: dict[str, str], owners: dict[str, User]) -> None:
    fields = {name: values.get(name, "") for name in TEXT_FIELDS}
    fields["email"] = fields["email"].lower()
    for name in ("languages", "niches"):
        fields[name] = services.clean_tags(
            TAG_SEPARATORS.split(values.get(name, "")), lower=name == "niches"
        )
    exclude = ["owner", "user"]
    if not fields["name"]:
        row.error("name", _("A name is required."))
        exclude.append("name")
    try:
        Influencer(**fields).clean_fields(exclude=exclude)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                row.error(column, message)
    owner_email = values.get("owner_email", "").lower()
    if owner_email:
        if owner_email in owners:
            fields["owner"] = owners[owner_email]
        else:
            row.error(
                "owner_email",
                _("No active team member has the email “%(email)s”.") % {"email": owner_email},
            )
    row.fields = fields
    row.stage = _clean_stage(row, values.get("stage", ""))


def _clean_stage(row: Row, raw: str) -> str:
    if not raw:
        return Stage.PROSPECT
    key = raw.lower()
    stage = next((s for s in Stage if key in (s.value, str(s.label).lower())), None)
    allowed = ", ".join(s.value for s in Stage if s not in STAGES_NEEDING_RESEARCH)
    if stage is None:
        row.error(
            "stage",
            _("Unknown stage “%(stage)s”. Use one of: %(allowed)s.")
            % {"stage": raw, "allowed": allowed},
        )
        return Stage.PROSPECT
    if stage in STAGES_NEEDING_RESEARCH:
        row.error(
            "stage",
            _(
                "“%(stage)s” needs the research checklist done first, which an import cannot "
                "do. Import as one of %(allowed)s, then move them on in the app."
            )
            % {"stage": stage.label, "allowed": allowed},
        )
    return stage.value


def _clean_channels(row: Row, values: dict[str, str]) -> None:
    for platform, followers_column in CHANNEL_COLUMNS.items():
        raw = values.get(platform, "")
        raw_followers = values.get(followers_column, "") if followers_column else ""
        followers = None
        if raw_followers:
            try:
                followers = parse_followers(raw_followers)
            except ValidationError as exc:
                row.error(followers_column, exc.messages[0])
            if not raw:
                row.error(
                    followers_column,
                    _("There is a follower count but no handle in “%(column)s”.")
                    % {"column": platform},
                )
        if not raw:
            continue
        try:
            normalised = handles.normalise(platform, raw)
        except ValidationError as exc:
            row.error(platform, exc.messages[0])
            continue
        row.channels.append(
            RowChannel(platform, platform, normalised.handle, normalised.url, followers)
        )


def parse_followers(raw: str) -> int:
    """12500, 12,500, 12 500, 12.5k or 1.2m; anything else is refused, not guessed."""
    value = raw.strip()
    if FOLLOWERS_PLAIN.match(value):
        number = int(value)
    elif FOLLOWERS_GROUPED.match(value):
        number = int(re.sub(r"\D", "", value))
    elif match := FOLLOWERS_SHORT.match(value):
        amount = Decimal(match[1]) * (1000 if match[2].lower() == "k" else 1_000_000)
        if amount != amount.to_integral_value():
            raise ValidationError(
                _("“%(value)s” is not a whole number of followers.") % {"value": value}
            )
        number = int(amount)
    elif value.startswith("-"):
        raise ValidationError(_("A follower count cannot be negative."))
    else:
        raise ValidationError(
            _("“%(value)s” is not a follower count; write for example 12500, 12,500 or 12.5k.")
            % {"value": value[:40]}
        )
    if number > MAX_FOLLOWERS:
        raise ValidationError(_("That follower count is too large."))
    return number


def _check_duplicates(rows: list[Row]) -> None:
    by_email: dict[str, list[Row]] = defaultdict(list)
    by_channel: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        # A broken address is reported as broken, not also as a duplicate.
        if row.email and not any(column == "email" for column, _message in row.errors):
            by_email[row.email].append(row)
        for channel in row.channels:
            by_channel[(channel.platform, channel.handle)].append(row)
    for group in by_email.values():
        _report_within_file(group, "email", _("Same email as %(rows)s."))
    for (platform, _handle), group in by_channel.items():
        _report_within_file(group, platform, _("Same account as %(rows)s."))

    existing = Influencer.objects.annotate(email_lower=Lower("email"))
    for influencer in existing.filter(email_lower__in=list(by_email)):
        for row in by_email[influencer.email.lower()]:
            row.error("email", _("%(name)s already uses this email.") % {"name": influencer})
    taken = Channel.objects.filter(
        platform__in={platform for platform, _handle in by_channel},
        handle__in={handle for _platform, handle in by_channel},
    ).select_related("influencer")
    for channel in taken:
        for row in by_channel.get((channel.platform, channel.handle), []):
            error = services.duplicate_channel_error(
                channel.platform, channel.handle, channel.influencer
            )
            row.error(channel.platform, error.messages[0])


def _report_within_file(group: list[Row], column: str, message: str) -> None:
    if len(group) < 2:
        return
    for row in group:
        others = [str(other.number) for other in group if other is not row]
        rows = ngettext("row %(rows)s", "rows %(rows)s", len(others)) % {"rows": ", ".join(others)}
        row.error(column, message % {"rows": rows})


# --- Writing -------------------------------------------------------------------------


def _entries(rows: list[Row]) -> list[services.NewInfluencer]:
    return [
        services.NewInfluencer(
            fields=row.fields,
            stage=row.stage,
            channels=[
                services.NewChannel(c.platform, c.handle, c.url, c.followers) for c in row.channels
            ],
        )
        for row in rows
    ]


def import_rows(
    preview: Preview, *, by: User, pending: PendingImport | None = None
) -> list[Influencer] | None:
    """Create every row or none. None means the database refused the batch (someone
    saved a clashing influencer meanwhile); the caller re-checks and shows why.

    With `pending`, the upload is used up in the same transaction: its row is the lock
    that makes two confirms arriving together import once (the second waits for the
    first, then gets `services.ImportAlreadyDone`), with no help from the cache."""
    if not preview.ok:
        raise ValueError("only a preview without errors can be imported")
    entries = _entries(preview.rows)
    try:
        if pending is not None:
            return services.pending_import_consume(pending=pending, entries=entries, by=by)
        return services.influencer_bulk_create(entries=entries, by=by)
    except IntegrityError:
        return None


def import_valid_rows(
    preview: Preview, *, pending: PendingImport, by: User
) -> list[Influencer] | None:
    """The second choice: create the rows without errors, all in one transaction that
    also uses the upload up (so a second click imports nothing). None as for
    `import_rows`; `services.ImportAlreadyDone` when the upload was used meanwhile."""
    valid = [row for row in preview.rows if not row.errors]
    if not valid:
        raise ValueError("no valid rows to import")
    try:
        return services.pending_import_consume(pending=pending, entries=_entries(valid), by=by)
    except IntegrityError:
        return None


def write_rejected_csv(out, text: str, preview: Preview) -> None:
    """The rejected rows as they were in the file (its own columns, in its order) plus an
    "errors" column, so they can be fixed and uploaded again."""
    rejected = {row.number: row for row in preview.rows if row.errors}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, [])
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([*header, "errors"])
    for number, cells in enumerate(reader, start=2):
        row = rejected.get(number)
        if row is None:
            continue
        cells = (cells + [""] * len(header))[: max(len(header), len(cells))]
        errors = "; ".join(
            f"{column}: {message}" if column else message for column, message in row.errors
        )
        writer.writerow([neutralise(cell) for cell in [*cells, errors]])


# --- Export --------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(out, rows: Iterable[dict[str, str]]) -> None:
    """The header and the rows in import format. A BOM so Excel reads UTF-8."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for values in rows:
        writer.writerow([neutralise(str(values.get(column, ""))) for column in COLUMNS])


def export_values(influencer: Influencer) -> dict[str, str]:
    """One influencer in import format. Reads prefetched channels and the joined owner.

    One channel per platform fits the columns: the primary (else the first) one. The
    profile URL rather than the bare handle, since only the URL is unambiguous for
    YouTube channel ids and Facebook numeric profiles."""
    values = {name: getattr(influencer, name) for name in TEXT_FIELDS}
    values["languages"] = "; ".join(influencer.languages)
    values["niches"] = "; ".join(influencer.niches)
    values["stage"] = influencer.stage
    values["owner_email"] = influencer.owner.email if influencer.owner else ""
    for channel in sorted(influencer.channels.all(), key=lambda c: not c.is_primary):
        if channel.platform in CHANNEL_COLUMNS and channel.platform not in values:
            values[channel.platform] = channel.profile_url
            followers_column = CHANNEL_COLUMNS[channel.platform]
            if followers_column and channel.followers is not None:
                values[followers_column] = str(channel.followers)
    return values

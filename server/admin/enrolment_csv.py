"""Reading the class list an advising office exports from its spreadsheet, to enrol applicants.

One applicant per line: the email, then their tracks. What a spreadsheet makes of that is
accepted: columns separated by commas, semicolons (European locales) or tabs; a header row
naming the columns ("Email; Name; Track"), whose other columns are left alone; tracks by id
or by label, in any case ("Anesthesiology", "internal-medicine-prelim"), several in one cell
separated by ';' or '|' (or ',' when the columns are not), or in several track columns. Every
bad line is reported with its number and what to change; a file with any bad line enrols nobody.
"""

from __future__ import annotations

import csv
import io

import regex
from email_validator import EmailNotValidError, validate_email

from .forms import FormError

MAX_ROWS = 2000
MAX_PROBLEMS_SHOWN = 20
DELIMITERS = (",", ";", "\t")
_HEADER_EMAIL = {"email", "e-mail", "email address", "e-mail address", "mail"}


def _delimiter(text: str) -> str:
    """The column separator: the first comma, semicolon or tab of the first line (an email holds none)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = [(first.index(d), d) for d in DELIMITERS if d in first]
    return min(found)[1] if found else ","


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class Tracks:
    """The directory's tracks, found by id or by label, in any case and spacing."""

    def __init__(self, tracks: list[tuple[str, str]]):
        self.known = tracks
        self.by_name = {}
        for track_id, label in tracks:
            self.by_name[_key(track_id)] = track_id
            self.by_name.setdefault(_key(label or track_id), track_id)

    def find(self, cell: str, delimiter: str) -> tuple[list[str], list[str]]:
        """(track ids, pieces that name no track) in a cell."""
        separators = r"[;|]" if delimiter == "," else r"[;|,]"
        found, unknown = [], []
        for piece in (p.strip() for p in regex.split(separators, cell)):
            if not piece:
                continue
            if _key(piece) in self.by_name:
                found.append(self.by_name[_key(piece)])
                continue
            # Ids separated by spaces, as this form has always taken them: "anesthesiology im-prelim".
            words = piece.split()
            if len(words) > 1 and all(_key(w) in self.by_name for w in words):
                found += [self.by_name[_key(w)] for w in words]
            else:
                unknown.append(piece)
        return found, unknown

    def listed(self) -> str:
        return ", ".join(f"{label} ({track_id})" if label and label != track_id else track_id
                         for track_id, label in self.known)


def checked_email(text: str) -> str:
    """The address, lower-cased; ValueError saying what is wrong with it."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(f"{text.strip() or 'no email'!r} is not an email address ({error})") from None


def parse(text: str, tracks: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(email, track ids) per applicant; FormError naming every bad line and what to change."""
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:  # a field over the csv module's limit, a NUL character...
        raise FormError(f"line {reader.line_num}: not a CSV line ({error})") from None
    known = Tracks(tracks)
    email_column, track_columns = 0, None
    found, problems, unknown_tracks = [], [], False
    for number, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        header = [_key(c) for c in cells]
        if not found and not problems and _HEADER_EMAIL & set(header):
            email_column = next(i for i, c in enumerate(header) if c in _HEADER_EMAIL)
            track_columns = [i for i, c in enumerate(header) if "track" in c]
            continue
        try:
            email = checked_email(cells[email_column] if email_column < len(cells) else "")
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        columns = track_columns if track_columns is not None else range(email_column + 1, len(cells))
        ids, unknown = [], []
        for column in columns:
            if column < len(cells):
                more, missing = known.find(cells[column], delimiter)
                ids += more
                unknown += missing
        if unknown:
            unknown_tracks = True
            problems.append(f"line {number}: {', '.join(repr(u) for u in unknown)} "
                            f"{'is not a track' if len(unknown) == 1 else 'are not tracks'}")
            continue
        found.append((email, list(dict.fromkeys(ids))))
    if len(found) > MAX_ROWS:
        problems.append(f"at most {MAX_ROWS} applicants at a time; split the file")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
        hint = f". The tracks are: {known.listed()}" if unknown_tracks else ""
        raise FormError("; ".join(shown) + more + hint + ". Nobody was enrolled: correct the file and send it again.")
    if not found:
        raise FormError("the file holds no email addresses: one applicant per line, the email first")
    return found

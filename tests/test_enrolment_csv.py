"""The class list an office exports from its spreadsheet: tracks by label or id in any case,
commas, semicolons or tabs, a header naming the columns, and every bad line named."""

from __future__ import annotations

import pytest

from server.admin.enrolment_csv import parse
from server.admin.forms import FormError

TRACKS = [("anesthesiology", "Anesthesiology"), ("internal-medicine-prelim", "Preliminary Medicine"),
          ("general-surgery", "General Surgery (categorical)")]


@pytest.mark.parametrize("text", [
    # What Excel saves in a European locale: semicolons, a header with a column the coach has no use for.
    "Email;Name;Track\r\nAna.Ruiz@School.edu;Ana Ruiz;anesthesiology, PRELIMINARY  medicine\r\n"
    "li.wei@school.edu;Li Wei;General Surgery (categorical)\r\n;;\r\nsam@school.edu;Sam;\r\n",
    # Commas, no header, several track columns.
    "ana.ruiz@school.edu,Anesthesiology,Preliminary Medicine\nli.wei@school.edu,general-surgery\nsam@school.edu\n",
    # Tabs, tracks in one cell by id separated by spaces, as the form always took them.
    "e-mail\ttracks\nana.ruiz@school.edu\tanesthesiology internal-medicine-prelim\n"
    "li.wei@school.edu\tgeneral-surgery\nsam@school.edu\n",
])
def test_a_spreadsheet_class_list_in_any_of_its_usual_shapes(text):
    assert parse(text, TRACKS) == [("ana.ruiz@school.edu", ["anesthesiology", "internal-medicine-prelim"]),
                                   ("li.wei@school.edu", ["general-surgery"]), ("sam@school.edu", [])]


def test_every_bad_line_is_named_with_what_to_change_and_nobody_is_enrolled():
    text = ("email;track\nok@school.edu;Anesthesiology\nana@@school.edu;Anesthesiology\n"
            "li.wei@school;anesthesiology\nsam@school.edu;Anaesthesia|Dermatology\n")
    with pytest.raises(FormError) as refused:
        parse(text, TRACKS)
    message = str(refused.value)
    assert "line 3: 'ana@@school.edu' is not an email address" in message
    assert "line 4: 'li.wei@school' is not an email address" in message and "period" in message
    assert "line 5: 'Anaesthesia', 'Dermatology' are not tracks" in message
    assert "The tracks are: Anesthesiology (anesthesiology), Preliminary Medicine (internal-medicine-prelim)" in message
    assert "line 2" not in message and "Nobody was enrolled" in message


def test_a_file_without_addresses_says_so():
    with pytest.raises(FormError, match="holds no email addresses"):
        parse("Email;Track\n\n", TRACKS)

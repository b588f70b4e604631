"""The form widgets the templates call (rendered in Python for speed): the same markup as a
template would write, escaped, with errors and hints tied to their control."""

from __future__ import annotations

from datetime import date

from resumate.web import editor
from resumate.web.widgets import editor_entry, entry_fields, input_field, share_chart

WORK = next(s for s in editor.SECTIONS if s.key == "work")


def test_input_field_label_error_and_escaping() -> None:
    html = input_field(
        "basics.email", "E-mail <yours>", 'a"b<c>', "email", {"basics.email": "Not <valid>"}
    )
    assert '<label for="f-basics-email">E-mail &lt;yours&gt;</label>' in html
    assert 'value="a&#34;b&lt;c&gt;"' in html
    assert 'aria-describedby="f-basics-email-desc" aria-invalid="true"' in html
    assert '<p class="field-error" id="f-basics-email-desc">Not &lt;valid&gt;</p>' in html
    assert 'class="field has-error"' in html


def test_input_field_hint_required_and_id() -> None:
    html = input_field(
        "password",
        "Password",
        "",
        "password",
        {},
        required=True,
        hint="8+",
        id="f-x",
        autocomplete="new-password",
    )
    assert '<span class="req" aria-hidden="true">*</span>' in html
    assert 'id="f-x"' in html and 'autocomplete="new-password"' in html and " required" in html
    assert '<p class="hint" id="f-x-desc">8+</p>' in html and "aria-invalid" not in html


def test_textarea_keeps_a_leading_newline_and_its_own_rows() -> None:
    html = input_field("summary", "Summary", "\nIndented", "textarea", attrs='rows="10"')
    # The parser drops the newline right after the start tag: the value's own one survives.
    assert html.endswith('rows="10">\n\nIndented</textarea></div>')
    assert 'rows="4"' not in html
    assert 'rows="4"' in input_field("summary", "Summary", "", "textarea")


def test_editor_entry_buttons_legend_and_fields() -> None:
    entry = {
        "position": "Lead <dev>",
        "name": "ACME",
        "startDate": "2020-03-15",
        "endDate": "2021",
        "highlights": ["Shipped", "Grew"],
        "url": "acme.example",
    }
    html = editor_entry(WORK, entry, "work", 0, 2, "Work", {"work.0.url": "bad"}, "work.0")
    assert "<legend>Lead &lt;dev&gt; · ACME</legend>" in html
    assert 'value="up:work.0" class="icon" disabled' in html
    assert 'value="down:work.0" class="icon" aria-label' in html
    assert 'name="work.0.startDate" type="month" value="2020-03"' in html
    assert 'name="work.0.endDate" type="text" value="2021"' in html  # a year alone stays text
    assert 'name="work.0.highlights.1" value="Grew"' in html
    assert 'value="remove:work.0.highlights.1"' in html and 'value="add:work.0.highlights"' in html
    assert 'id="f-work-0-url-desc">bad</p>' in html
    assert html.count("autofocus") == 1 and 'name="work.0.position" type="text" value="Lead' in html
    last = editor_entry(WORK, {}, "work", 1, 2, "Work", {}, None)
    assert 'value="down:work.1" class="icon" disabled' in last
    assert "autofocus" not in last and "<legend>Entry 2</legend>" in last


def test_profile_fields_without_a_section() -> None:
    html = entry_fields(editor.PROFILE, {"network": "GitHub"}, "basics.profiles.0", {}, None)
    assert 'name="basics.profiles.0.network" type="text" value="GitHub"' in html


def test_share_chart_scales_bars_to_the_busiest_day() -> None:
    days = [{"date": date(2026, 11, d), "views": d % 3, "downloads": 1} for d in range(1, 31)]
    svg = share_chart({"views": 30, "downloads": 30, "by_day": days})
    assert svg.count('class="bar-views"') == 30 and svg.count('class="bar-downloads"') == 30
    assert 'y="4" width="4" height="56"><title>2026-11-02: 2' in svg
    assert 'height="28"><title>2026-11-01: 1' in svg

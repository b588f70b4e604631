"""Form fields rendered in Python: the editor shows a few hundred of them, and as a Jinja macro
(one call frame, a context copy and a dozen small joins each) they were most of the editor
page's server time. The markup is the macro's, unchanged: label, control, then the error
(or the hint) the control is described by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from resumate.web.editor import Section, value_at
from resumate.web.strings import t


def input_field(
    name: str,
    label: str,
    value: Any = "",
    type: str = "text",
    errors: Mapping[str, str] | None = None,
    required: bool = False,
    hint: str | None = None,
    autocomplete: str | None = None,
    id: str | None = None,
    attrs: str = "",
) -> Markup:
    """A labelled ``<input>`` (or ``<textarea>`` for type ``textarea``) with its error or
    hint. ``attrs`` is trusted markup written in the templates (never user input)."""
    fid = escape(id or "f-" + name.replace(".", "-"))
    error = errors.get(name) if errors else None
    parts = [
        '<div class="field has-error">' if error else '<div class="field">',
        f'<label for="{fid}">{escape(label)}',
        ' <span class="req" aria-hidden="true">*</span></label>' if required else "</label>",
    ]
    extra = " required" if required else ""
    if type != "textarea" and autocomplete:
        extra += f' autocomplete="{escape(autocomplete)}"'
    if hint or error:
        extra += f' aria-describedby="{fid}-desc"'
    if error:
        extra += ' aria-invalid="true"'
    if attrs:
        extra += " " + str(attrs)
    text = escape(value) if value else ""
    if type == "textarea":
        # The newline after the start tag is dropped by HTML parsers, so a value that starts
        # with one keeps it.
        rows = "" if "rows=" in extra else ' rows="4"'
        parts.append(f'<textarea id="{fid}" name="{escape(name)}"{rows}{extra}>\n{text}</textarea>')
    else:
        parts.append(
            f'<input id="{fid}" name="{escape(name)}" type="{escape(type)}" value="{text}"{extra}>'
        )
    if error:
        parts.append(f'<p class="field-error" id="{fid}-desc">{escape(error)}</p>')
    elif hint:
        parts.append(f'<p class="hint" id="{fid}-desc">{escape(hint)}</p>')
    parts.append("</div>")
    return Markup("".join(parts))  # noqa: S704 - every value in it is escaped


def _control_type(kind: str) -> str:
    if kind == "url":
        return "text"  # a URL without its scheme is common in resumes: no browser refusal
    return kind


def entry_fields(
    section: Section,
    entry: dict[str, Any],
    base: str,
    errors: Mapping[str, str] | None,
    focus: str | None,
) -> Markup:
    """The fields of one editor entry (``base`` is its dotted path, ``work.2``): one control
    per field, highlights as a list with a remove button per item and an add button."""
    out = ['<div class="fields">']
    for index, fld in enumerate(section.fields):
        name = f"{base}.{fld.name}"
        label = t("jr." + fld.name)
        value = value_at(entry, fld)
        autofocus = "autofocus" if index == 0 and focus == base else ""
        wide = '<div class="span-2">' if fld.wide else "<div>"
        if fld.kind == "list":
            out.append(_list_field(name, label, value, focus))
        elif fld.kind == "month":
            out.append("<div>")
            out.append(
                input_field(
                    name,
                    label,
                    value,
                    "text" if len(value) == 4 else "month",
                    errors,
                    hint=t("editor.month_hint") if fld.name == "endDate" else None,
                    attrs='placeholder="YYYY-MM" pattern="[0-9]{4}(-[0-9]{2})?" ' + autofocus,
                )
            )
            out.append("</div>")
        elif fld.kind == "tags":
            out.append(wide)
            hint = t("editor.tags_hint")
            out.append(input_field(name, label, value, "text", errors, hint=hint, attrs=autofocus))
            out.append("</div>")
        else:
            out.append(wide)
            out.append(
                input_field(name, label, value, _control_type(fld.kind), errors, attrs=autofocus)
            )
            out.append("</div>")
    out.append("</div>")
    return Markup("".join(out))  # noqa: S704 - every value in it is escaped


def _list_field(name: str, label: str, items: list[str], focus: str | None) -> str:
    stem = escape("f-" + name.replace(".", "-"))
    ename = escape(name)
    out = [
        '<div class="span-2"><fieldset class="list-field">',
        f"<legend>{escape(label)}</legend>",
        f'<input type="hidden" name="{ename}.present" value="1">',
        '<ul class="plain">',
    ]
    for index, item in enumerate(items):
        autofocus = " autofocus" if focus == f"{name}.{index}" else ""
        out.append(
            f'<li class="row"><label class="visually-hidden" for="{stem}-{index}">'
            f"{escape(t('editor.highlight', n=index + 1))}</label>"
            f'<input id="{stem}-{index}" type="text" name="{ename}.{index}" '
            f'value="{escape(item)}"{autofocus}>'
            f'<button type="submit" name="op" value="remove:{ename}.{index}" class="icon" '
            f'aria-label="{escape(t("editor.remove_highlight", n=index + 1))}">✕</button></li>'
        )
    out.append("</ul>")
    out.append(
        f'<button type="submit" name="op" value="add:{ename}" class="button small secondary">'
        f"+ {escape(t('editor.add_highlight'))}</button></fieldset></div>"
    )
    return "".join(out)


def share_chart(stats: Mapping[str, Any]) -> Markup:
    """Views and downloads of a shared resume per day, as bars (an SVG with a title on each
    bar: its date and count)."""
    days = stats["by_day"]
    top = max([1, *(d["views"] for d in days), *(d["downloads"] for d in days)])
    views, downloads = escape(t("editor.views")), escape(t("editor.downloads"))
    out = [
        '<svg class="chart" viewBox="0 0 300 64" role="img" '
        f'aria-label="{escape(t("editor.stats_chart"))}">'
    ]
    for index, day in enumerate(days):
        x = index * 10
        hv = round(day["views"] / top * 56, 1)
        hd = round(day["downloads"] / top * 56, 1)
        when = escape(day["date"])
        out.append(
            f'<rect class="bar-views" x="{x + 1}" y="{60 - hv:g}" width="4" height="{hv:g}">'
            f"<title>{when}: {day['views']} {views}</title></rect>"
            f'<rect class="bar-downloads" x="{x + 5}" y="{60 - hd:g}" width="4" height="{hd:g}">'
            f"<title>{when}: {day['downloads']} {downloads}</title></rect>"
        )
    out.append('<line x1="0" y1="60.5" x2="300" y2="60.5" class="axis"/></svg>')
    return Markup("".join(out))  # noqa: S704 - every value in it is escaped


def editor_entry(
    section: Section,
    entry: dict[str, Any],
    prefix: str,
    index: int,
    count: int,
    label: str,
    errors: Mapping[str, str] | None,
    focus: str | None,
) -> Markup:
    """One entry of an editor section (``prefix`` is the list's dotted path): its legend, the
    move up / move down / remove buttons (plain submit buttons: they work without scripts) and
    its fields."""
    base = f"{prefix}.{index}"
    ebase = escape(base)
    n = index + 1
    title = entry.get(section.title_field) or t("editor.entry", n=n)
    legend = escape(title)
    if section.subtitle_field and entry.get(section.subtitle_field):
        legend += Markup(" · ") + escape(entry.get(section.subtitle_field))
    up_disabled = " disabled" if index == 0 else ""
    down_disabled = " disabled" if index == count - 1 else ""
    tools = (
        f'<button type="submit" name="op" value="up:{ebase}" class="icon"{up_disabled} '
        f'aria-label="{escape(t("editor.move_up", n=n, section=label))}" '
        f'title="{escape(t("editor.up"))}">↑</button>'
        f'<button type="submit" name="op" value="down:{ebase}" class="icon"{down_disabled} '
        f'aria-label="{escape(t("editor.move_down", n=n, section=label))}" '
        f'title="{escape(t("editor.down"))}">↓</button>'
        f'<button type="submit" name="op" value="remove:{ebase}" class="icon danger" '
        f'aria-label="{escape(t("editor.remove_entry", n=n, section=label))}" '
        f'title="{escape(t("editor.remove"))}">✕</button>'
    )
    return Markup(  # noqa: S704 - every value in it is escaped
        f'<fieldset class="entry" id="e-{ebase}"><legend>{legend}</legend>'
        f'<div class="entry-tools">{tools}</div>'
        f"{entry_fields(section, entry, base, errors, focus)}</fieldset>"
    )

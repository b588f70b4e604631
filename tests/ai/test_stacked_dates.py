"""A column of stacked dates, one date opening each line, pairs into ranges."""

from resumate.ai.documents import TextLine
from resumate.ai.entries import parse_work


def _work(*texts: str) -> list[tuple[str | None, str | None, list[str]]]:
    out = []
    for w in parse_work([TextLine(t) for t in texts]):
        assert w.dates is not None
        end = w.dates.end.iso() if w.dates.end else None
        out.append((w.dates.start.iso(), end, w.header))
    return out


def test_end_above_start_with_present_on_top() -> None:
    got = _work(
        "Currently  Backend developer at Acme Corp, Berlin.",
        "March 2021  Java and Kotlin services.",
        "February 2021  Support technician at Globex,",
        "June 2019  Hamburg.",
    )
    assert [(s, e) for s, e, _ in got] == [("2021-03", None), ("2019-06", "2021-02")]
    assert "Support technician at Globex, Hamburg." in got[1][2]


def test_start_above_end() -> None:
    got = _work("Septiembre 2017  Analista en Iberia,", "Julio 2018  Madrid.")
    assert [(s, e) for s, e, _ in got] == [("2017-09", "2018-07")]


def test_year_only_lines_are_not_paired() -> None:
    # A list of single-year entries is not a stacked column: each keeps its own year.
    got = _work("2019  Volunteer, Red Cross", "2018  Volunteer, Food bank")
    assert got == []


def test_bullets_are_not_paired() -> None:
    got = _work("• May 2020 shipped the billing service", "• June 2019 joined the team")
    assert got == []

from datetime import date

import pytest

from resumate.ai.dates import PartialDate, find_date_ranges, merge_intervals, total_years

TODAY = date(2025, 6, 1)


def _one(text: str) -> tuple[str, str | None]:
    ranges = find_date_ranges(text)
    assert len(ranges) == 1, (text, ranges)
    r = ranges[0]
    return r.start.iso(), (r.end.iso() if r.end else None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 2019 – Present", ("2019-03", None)),
        ("March 2019 - current", ("2019-03", None)),
        ("03/2019 - heute", ("2019-03", None)),
        ("2019-03 – 2020-11", ("2019-03", "2020-11")),
        ("2018 - 2021", ("2018", "2021")),
        ("Sept. 2017 to Dec. 2018", ("2017-09", "2018-12")),
        ("juin 2014 – août 2016", ("2014-06", "2016-08")),
        ("enero 2015 - actualidad", ("2015-01", None)),
        ("Maart 2010 – heden", ("2010-03", None)),
        ("Januar 2020 bis heute", ("2020-01", None)),
        ("06/18 - 08/20", ("2018-06", "2020-08")),
        ("15.03.2016 – 31.12.2018", ("2016-03", "2018-12")),
        ("Jan – Mar 2019", ("2019-01", "2019-03")),
        ("Summer 2019 - Fall 2020", ("2019-06", "2020-09")),
        ("since 2020", ("2020", None)),
        ("seit 03/2019", ("2019-03", None)),
        ("Software Engineer, Acme   2015 — now", ("2015", None)),
    ],
)
def test_date_ranges_in_many_formats_and_languages(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert _one(text) == expected


def test_no_range_in_plain_numbers() -> None:
    assert find_date_ranges("Managed 2019 invoices and 300 suppliers") == []
    assert find_date_ranges("Call +44 20 7946 0958") == []


def test_overlapping_jobs_are_counted_once() -> None:
    # A year written alone runs January to December: 2018 - 2022 is five years.
    ranges = find_date_ranges("2018 - 2021") + find_date_ranges("2020 - 2022")
    assert total_years(ranges, TODAY) == 5.0


def test_a_year_written_alone_ends_with_its_december() -> None:
    assert total_years(find_date_ranges("2016 - 2017"), TODAY) == 2.0
    assert total_years(find_date_ranges("Oct 2018 - 2019"), TODAY) == 1.2  # 15 months
    assert total_years(find_date_ranges("2019 - Mar 2020"), TODAY) == 1.2  # 15 months
    assert total_years(find_date_ranges("2019 - 2019"), TODAY) == 0.5  # one year, no months
    assert total_years(find_date_ranges("2023 - 2026"), TODAY) == 2.4  # clipped at today


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every dash Unicode has, not only the ASCII one and the en dash
        ("2016/09 \u2010 2018/08", ("2016-09", "2018-08")),
        ("Mar 2019 \u2012 Jun 2021", ("2019-03", "2021-06")),
        ("2019 \uff0d 2021", ("2019", "2021")),
        # a dash and a word together
        ("10/2019 – hasta la actualidad.", ("2019-10", None)),
        ("01/2020 - bis heute", ("2020-01", None)),
        ("2019 - to 2021", ("2019", "2021")),
        # a separator word ends where the word ends: "al", not "a" + "l 2024"
        ("Dal 2021 al 2024.", ("2021", "2024")),
        ("de 2015 a 2018", ("2015", "2018")),
        # a date glued to the full stop of the sentence before it
        ("Multinacional Alemana.05/2005-12/2017. Teleoperadora", ("2005-05", "2017-12")),
        # a line of two dates and nothing else: a date column whose dash is drawn
        ("2024 2020", ("2020", "2024")),
        ("03/2019   06/2021", ("2019-03", "2021-06")),
        # two month dates side by side, in order, before the entry's words
        ("03/2018 08/2018 UX Designer, Atibaia", ("2018-03", "2018-08")),
        # a year, a slash and a later year
        ("2023/2025 Post-doctorante, CNRS", ("2023", "2025")),
        # a month name joined to its year by a slash or hyphen; dates in template brackets
        ("[Agosto/2023] – [Marzo/2024]", ("2023-08", "2024-03")),
        ("Aug-2019 - Sep-2020", ("2019-08", "2020-09")),
        # "bis jetzt" after a dash
        ("10.2020- bis jetzt", ("2020-10", None)),
    ],
)
def test_range_grammar_across_separators_and_languages(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert _one(text) == expected


def test_two_dates_with_words_between_or_around_are_no_range() -> None:
    assert find_date_ranges("2019 2021 Master") == []
    assert find_date_ranges("Award 2019 2021") == []
    assert find_date_ranges("Jan 2019 - a company") == []
    assert find_date_ranges("3.05/2005 ratio") == []
    assert find_date_ranges("2019 2019") == []
    assert find_date_ranges("Version 2018-12 released") == []  # December 2018, no range
    assert find_date_ranges("08/2018 03/2018 Designer") == []  # side by side, but backwards


def test_month_ranges_count_both_end_months() -> None:
    assert total_years(find_date_ranges("Jan 2019 - Dec 2019"), TODAY) == 1.0


def test_open_range_ends_today_and_future_is_clipped() -> None:
    assert total_years(find_date_ranges("Jun 2024 - Present"), TODAY) == 1.0
    assert total_years(find_date_ranges("Jun 2024 - Dec 2030"), TODAY) == 1.0


def test_gaps_are_not_counted() -> None:
    ranges = find_date_ranges("Jan 2010 - Dec 2011") + find_date_ranges("Jan 2015 - Dec 2015")
    assert total_years(ranges, TODAY) == 3.0


def test_merge_intervals() -> None:
    assert merge_intervals([(5, 10), (0, 3), (2, 6), (20, 20)]) == [(0, 10)]


def test_partial_date_iso() -> None:
    assert PartialDate(2020, 3).iso() == "2020-03"
    assert PartialDate(2020).iso() == "2020"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020, Jul-Okt. Entwicklung einer App", ("2020-07", "2020-10")),
        ("2018 Mar – Jun, summer internship", ("2018-03", "2018-06")),
    ],
)
def test_year_then_month_range(text: str, expected: tuple[str, str | None]) -> None:
    assert _one(text) == expected


def test_year_then_backwards_months_is_not_a_range() -> None:
    assert find_date_ranges("2020, Okt-Jul") == []


def test_nu_and_momento_after_a_dash_are_now() -> None:
    """Danish, Dutch and Swedish 'nu', Portuguese and Spanish 'momento' end an open range when
    they end its phrase; going on in small letters they are other words."""
    from resumate.ai.dates import find_date_ranges

    def open_start(text: str) -> list[tuple[int, int | None]]:
        return [(r.start.year, r.start.month) for r in find_date_ranges(text) if r.end is None]

    assert open_start("januar 2020 – nu") == [(2020, 1)]
    assert open_start("januar 2020 – nu  Udvikler, Firma A/S") == [(2020, 1)]
    assert open_start("maart 2021 - nu (2 jaar)") == [(2021, 3)]
    assert open_start("Mai 2018 - momento") == [(2018, 5)]
    assert open_start("2019 - nu skin care") == []
    assert open_start("2019 - date of birth") == []

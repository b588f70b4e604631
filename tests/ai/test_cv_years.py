"""Years of experience as a recruiter reads them: student jobs held while studying count
nothing, internships and part-time work after studies count half, apprenticeships and
work-study contracts count although the person studies. Each test builds a real DOCX."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from resumate.ai.analyzer import analyze_document

TODAY = date(2025, 6, 1)


def _years(*blocks: tuple[str, list[str]]) -> float:
    document = docx.Document()
    document.add_paragraph("Dana Ortiz")
    document.add_paragraph("dana@example.com")
    for heading, paragraphs in blocks:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return analyze_document(buf.getvalue(), "docx", today=TODAY).total_experience_years


def test_a_new_graduate_nurse_has_no_years_from_rotations_and_a_per_diem_job() -> None:
    years = _years(
        (
            "Clinical Experience",
            [
                "Senior Nursing Practicum, Methodist Medical Center  Jan 2025 - May 2025",
                "ICU Clinical Rotation, Parkland Hospital  Sep 2024 - Dec 2024",
                "Patient Care Technician (Per Diem), Baylor Hospital  Jun 2023 - Present",
            ],
        ),
        ("Education", ["Bachelor of Science in Nursing, Texas University  Aug 2021 - May 2025"]),
    )
    assert years == pytest.approx(0.0, abs=0.1)


def test_an_internship_after_studies_counts_half_and_a_job_in_full() -> None:
    years = _years(
        (
            "Experience",
            [
                "Data Analyst, Acme Ltd  Jan 2023 - Dec 2024",
                "Data Science Intern, Globex  Jan 2022 - Dec 2022",
            ],
        ),
        ("Education", ["MSc Statistics, University of Leeds  Sep 2019 - Sep 2021"]),
    )
    assert years == pytest.approx(2.5, abs=0.1)


def test_an_apprenticeship_during_studies_still_counts() -> None:
    years = _years(
        (
            "Expérience professionnelle",
            ["Alternant développeur iOS, Accengage  Nov 2017 - Nov 2019"],
        ),
        ("Formation", ["Master développeur d'applications, ETNA  Sep 2017 - Sep 2019"]),
    )
    assert years == pytest.approx(1.0, abs=0.1)  # half weight, not nothing


def test_a_full_time_job_held_while_studying_counts_in_full() -> None:
    years = _years(
        ("Experience", ["Software Engineer, Initech  Jan 2020 - Dec 2021"]),
        ("Education", ["Part-time MBA, Open University  Jan 2020 - Dec 2022"]),
    )
    assert years == pytest.approx(2.0, abs=0.1)


def test_time_spent_finishing_a_degree_is_not_a_position_in_spanish_or_chinese() -> None:
    years = _years(
        (
            "Experiencia",
            [
                "Forcast — Desarrollador Full-Stack  Nov 2024 - Abr 2025",
                "Enfocado en completar la carrera de ingeniería  Abr 2022 - Nov 2024",
                "Cuatro Coigües — Desarrollador Web  Sep 2019 - Abr 2022",
            ],
        ),
    )
    assert years == pytest.approx(3.1, abs=0.15)
    years = _years(
        (
            "经验",
            [
                "Forcast  初级全栈软件工程师  2024年11月 - 2025年4月",
                "专注于完成工程学位  2022年4月 - 2024年11月",
            ],
        ),
    )
    assert years == pytest.approx(0.5, abs=0.1)

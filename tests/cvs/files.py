"""Real CV files made by the tests: PDFs compiled with Typst, DOCX written with python-docx."""

from __future__ import annotations

import io
import json

import typst
from docx import Document

CV_TEXT = {
    "name": "Maria Fernández",
    "email": "maria.fernandez@example.org",
    "phone": "+34 612 345 678",
    "location": "Madrid, Spain",
    "summary": "Registered nurse with eight years of experience in intensive care and emergency units.",
    "jobs": [
        (
            "Senior ICU Nurse",
            "Hospital Universitario La Paz",
            "Mar 2019",
            "Present",
            [
                "Led a team of 12 nurses across night shifts",
                "Reduced medication errors by 30% with a double-check protocol",
            ],
        ),
        (
            "Emergency Nurse",
            "Hospital Clínico San Carlos",
            "Jan 2016",
            "Feb 2019",
            ["Triaged 60+ patients per shift", "Trained 15 new staff in ACLS procedures"],
        ),
    ],
    "education": [
        ("Bachelor of Science in Nursing", "Universidad Complutense de Madrid", "2011", "2015")
    ],
    "skills": [
        "Patient Care",
        "Critical Care",
        "ACLS",
        "BLS",
        "Electronic Health Records",
        "Triage",
        "Wound Care",
    ],
}

TYPST_CV = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: "a4", margin: 2cm)
#set text(size: 10.5pt)
= #d.name
#d.email | #d.phone | #d.location

== Summary
#d.summary

== Experience
#for j in d.jobs [
  *#j.at(0)*, #j.at(1) #h(1fr) #j.at(2) – #j.at(3)
  #for b in j.at(4) [- #b
  ]
]

== Education
#for e in d.education [
  *#e.at(0)*, #e.at(1) #h(1fr) #e.at(2) – #e.at(3)
]

== Skills
#d.skills.join(", ")
"""


def make_pdf(data: dict[str, object] | None = None) -> bytes:
    payload = json.dumps(data or CV_TEXT)
    return bytes(typst.compile(TYPST_CV.encode(), format="pdf", sys_inputs={"data": payload}))


def make_image_only_pdf() -> bytes:
    source = b'#set page(paper: "a4")\n#rect(width: 80%, height: 40%, fill: gray)\n#circle(radius: 2cm, fill: blue)\n'
    return bytes(typst.compile(source, format="pdf"))


def make_docx(data: dict[str, object] | None = None) -> bytes:
    cv = data or CV_TEXT
    doc = Document()
    header = doc.sections[0].header.paragraphs[0]
    header.text = f"{cv['email']} | {cv['phone']}"
    doc.add_heading(str(cv["name"]), level=0)
    doc.add_paragraph(str(cv["location"]))
    doc.add_heading("Summary", level=1)
    doc.add_paragraph(str(cv["summary"]))
    doc.add_heading("Experience", level=1)
    for title, company, start, end, bullets in cv["jobs"]:  # type: ignore[attr-defined]
        doc.add_paragraph(f"{title}, {company}    {start} – {end}")
        for bullet in bullets:
            doc.add_paragraph(bullet, style="List Bullet")
    doc.add_heading("Education", level=1)
    for degree, school, start, end in cv["education"]:  # type: ignore[attr-defined]
        doc.add_paragraph(f"{degree}, {school}    {start} – {end}")
    doc.add_heading("Skills", level=1)
    table = doc.add_table(rows=1, cols=2)
    skills = list(cv["skills"])  # type: ignore[call-overload]
    table.rows[0].cells[0].text = ", ".join(skills[: len(skills) // 2])
    table.rows[0].cells[1].text = ", ".join(skills[len(skills) // 2 :])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

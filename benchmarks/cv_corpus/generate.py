"""Generate a labelled corpus of synthetic CVs (PDF via Typst, DOCX via python-docx).

Every CV is built from structured data (person, jobs, dates, skills, headings), and its ground
truth is written from that same data, never from the analyzer. Skills are labelled where the
generator places them: the skills list, skill placeholders in bullets, job titles and degree
subjects that name a skill, certificates and spoken languages.

Experience years follow the analyzer's documented convention (resumate.ai.dates): month ranges
count both end months, year-only ranges count January to December, open ranges run to `TODAY`.

    python benchmarks/cv_corpus/generate.py OUT_DIR [--count 48] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers

TODAY = date(2025, 6, 1)

# ---------------------------------------------------------------------------------------------
# Professions: titles (with the skills a title names), skills as written -> canonical name,
# bullet templates ({s} = a skill from the pool, {n} = a number), companies, degrees, certificates.

Skill = tuple[str, str]  # (as written in the CV, canonical taxonomy name)


@dataclass
class Profession:
    key: str
    titles: list[tuple[str, list[str]]]
    skills: list[Skill]
    bullets: list[str]
    plain_bullets: list[str]
    companies: list[str]
    degrees: list[tuple[str, str, list[str]]]
    certs: list[Skill] = field(default_factory=list)
    summary: str = ""


PROFESSIONS: list[Profession] = [
    Profession(
        "software",
        [
            ("Software Engineer", ["Software development"]),
            ("Senior Software Engineer", ["Software development"]),
            ("Backend Developer", ["Backend development"]),
            ("Full-Stack Developer", ["Full-stack development"]),
        ],
        [
            ("Python", "Python"),
            ("Django", "Django"),
            ("PostgreSQL", "PostgreSQL"),
            ("Docker", "Docker"),
            ("Kubernetes", "Kubernetes"),
            ("TypeScript", "TypeScript"),
            ("React", "React"),
            ("AWS", "Amazon Web Services"),
            ("Redis", "Redis"),
            ("Git", "Git"),
            ("CI/CD", "CI/CD"),
            ("GraphQL", "GraphQL"),
            ("Go", "Go"),
            ("Terraform", "Terraform"),
            ("Java", "Java"),
            ("Spring Boot", "Spring Boot"),
            ("Node.js", "Node.js"),
            ("C#", "C#"),
            (".NET", ".NET"),
            ("Kafka", "Apache Kafka"),
        ],
        [
            "Built {s} services handling {n} requests per minute",
            "Migrated the legacy order platform to {s}, cutting costs by {n}%",
            "Introduced {s} for the team and reduced release time from {n} days to one",
            "Designed an internal platform on {s} used by {n} engineers",
            "Wrote {s} tooling that removed {n} hours of manual work each week",
        ],
        [
            "Mentored {n} junior colleagues through their first year",
            "Led the on-boarding of {n} new hires",
            "Reduced open bug tickets by {n}% over two quarters",
        ],
        [
            "Zalando SE",
            "Acme Software Ltd",
            "Northwind Systems Inc.",
            "Blue Harbor Labs",
            "Finlytics GmbH",
            "Orbital Apps",
        ],
        [
            ("BSc", "Computer Science", []),
            ("MSc", "Software Engineering", ["Software development"]),
            ("Bachelor of Engineering", "Information Technology", []),
        ],
        [
            ("AWS Certified Solutions Architect", "AWS Certified Solutions Architect"),
            ("CKA", "Certified Kubernetes Administrator"),
        ],
        "Engineer who enjoys building reliable back-end systems and helping teams ship quickly. |Backend development",
    ),
    Profession(
        "data",
        [
            ("Data Analyst", ["Data analysis"]),
            ("Senior Data Analyst", ["Data analysis"]),
            ("Data Scientist", ["Data science"]),
            ("Business Intelligence Analyst", ["Business intelligence"]),
        ],
        [
            ("SQL", "SQL"),
            ("Python", "Python"),
            ("pandas", "pandas"),
            ("Tableau", "Tableau"),
            ("Power BI", "Power BI"),
            ("Excel", "Microsoft Excel"),
            ("R", "R"),
            ("scikit-learn", "scikit-learn"),
            ("Snowflake", "Snowflake"),
            ("dbt", "dbt"),
            ("Looker", "Looker"),
            ("A/B testing", "Hypothesis testing"),
            ("statistics", "Statistics"),
            ("machine learning", "Machine learning"),
            ("BigQuery", "BigQuery"),
            ("Airflow", "Apache Airflow"),
        ],
        [
            "Built {s} dashboards followed by {n} regional managers |Data visualization",
            "Automated weekly reports with {s}, saving {n} hours per month",
            "Modelled customer churn with {s} and lifted retention by {n}%",
            "Cleaned and joined {n} million rows of transaction data using {s}",
        ],
        [
            "Presented findings to the leadership team every quarter",
            "Trained {n} colleagues on self-service reports",
        ],
        [
            "Brightwave Insights Ltd",
            "Datapoint Analytics",
            "Green Grocers plc",
            "Metro Transit Authority",
            "Kensington Bank",
        ],
        [
            ("BSc", "Mathematics", ["Mathematics"]),
            ("MSc", "Statistics", ["Statistics"]),
            ("BA", "Economics", ["Economic analysis"]),
        ],
        [("Tableau Desktop Specialist", "Tableau Desktop Specialist")],
        "Analyst who turns messy data into clear decisions for commercial teams.",
    ),
    Profession(
        "nursing",
        [
            ("Registered Nurse", ["Registered Nurse"]),
            ("Staff Nurse", ["Nursing"]),
            ("Charge Nurse", ["Nursing leadership"]),
            ("ICU Nurse", ["Critical care", "Nursing"]),
        ],
        [
            ("patient care", "Patient care"),
            ("wound care", "Wound care"),
            ("medication administration", "Medication administration"),
            ("IV therapy", "IV therapy"),
            ("Epic EHR", "Epic Systems"),
            ("BLS", "Basic Life Support"),
            ("ACLS", "Advanced Cardiac Life Support"),
            ("infection control", "Infection control"),
            ("phlebotomy", "Phlebotomy"),
            ("triage", "Emergency care"),
            ("care planning", "Care planning"),
            ("patient education", "Patient education"),
            ("palliative care", "Palliative care"),
        ],
        [
            "Delivered {s} for up to {n} patients per shift",
            "Coordinated {s} on a {n}-bed surgical ward",
            "Improved {s} audit results by {n}% in one year",
            "Trained {n} student nurses in {s}",
        ],
        [
            "Worked closely with doctors and families on discharge plans",
            "Covered night shifts on a {n}-bed ward",
        ],
        [
            "St Mary's Hospital",
            "City General Hospital",
            "Royal Infirmary",
            "Mercy Health Clinic",
            "Klinikum Nord",
        ],
        [("BSc", "Nursing", ["Nursing"]), ("Bachelor of Science in Nursing", "", ["Nursing"])],
        [("ACLS", "Advanced Cardiac Life Support"), ("BLS", "Basic Life Support")],
        "Compassionate nurse with a calm approach on busy wards.",
    ),
    Profession(
        "accounting",
        [
            ("Accountant", ["Accounting"]),
            ("Senior Accountant", ["Accounting"]),
            ("Financial Analyst", ["Financial analysis"]),
            ("Finance Manager", []),
        ],
        [
            ("financial reporting", "Financial reporting"),
            ("SAP", "SAP"),
            ("Excel", "Microsoft Excel"),
            ("IFRS", "IFRS"),
            ("month-end close", "Month-end close"),
            ("accounts payable", "Accounts payable"),
            ("reconciliations", "Reconciliation"),
            ("budgeting", "Budgeting"),
            ("forecasting", "Forecasting"),
            ("VAT", "Tax"),
            ("QuickBooks", "QuickBooks"),
            ("variance analysis", "Variance analysis"),
            ("financial modelling", "Financial modeling"),
            ("auditing", "Auditing"),
        ],
        [
            "Owned {s} for {n} legal entities",
            "Cut the {s} cycle from {n} days to five",
            "Led {s} for a budget of EUR {n} million",
            "Prepared {s} packs for the board every month",
        ],
        ["Supported external auditors during {n} year-end audits", "Managed a team of {n} clerks"],
        [
            "Deloitte",
            "Müller & Partner GmbH",
            "Harbor Foods Ltd",
            "Société Générale",
            "Atlas Holding SA",
        ],
        [
            ("BA", "Accounting and Finance", ["Accounting"]),
            ("BSc", "Economics", ["Economic analysis"]),
        ],
        [("ACCA", "ACCA"), ("CPA", "CPA")],
        "Finance professional focused on accurate numbers and faster closing.",
    ),
    Profession(
        "marketing",
        [
            ("Marketing Manager", ["Marketing"]),
            ("Digital Marketing Specialist", ["Digital marketing"]),
            ("Content Marketing Manager", ["Content marketing"]),
        ],
        [
            ("SEO", "Search engine optimization"),
            ("Google Ads", "Google Ads"),
            ("Google Analytics", "Google Analytics"),
            ("HubSpot", "HubSpot"),
            ("email marketing", "Email marketing"),
            ("copywriting", "Copywriting"),
            ("social media marketing", "Social media marketing"),
            ("Canva", "Canva"),
            ("market research", "Market research"),
            ("brand management", "Brand management"),
            ("Mailchimp", "Mailchimp"),
            ("WordPress", "WordPress"),
        ],
        [
            "Grew organic traffic by {n}% through {s}",
            "Ran {s} campaigns with a budget of {n} thousand euros",
            "Launched a {s} programme that added {n} qualified leads per month",
            "Rebuilt the website in {s} and raised sign-ups by {n}%",
        ],
        [
            "Managed two agencies and {n} freelancers",
            "Planned the yearly calendar for {n} product launches |Product marketing",
        ],
        [
            "Brightside Media",
            "Nordic Outdoor AB",
            "Cafe Aroma Group",
            "Lumen Cosmetics",
            "TravelNest",
        ],
        [("BA", "Marketing", ["Marketing"]), ("BA", "Communication Studies", ["Communication"])],
        [("Google Ads Certification", "Google Ads Certification")],
        "Marketer who ties every campaign to revenue.",
    ),
    Profession(
        "sales",
        [
            ("Account Executive", []),
            ("Sales Manager", ["Sales management"]),
            ("Business Development Manager", ["Business development"]),
        ],
        [
            ("Salesforce", "Salesforce"),
            ("B2B sales", "B2B sales"),
            ("negotiation", "Negotiation"),
            ("cold calling", "Inside sales"),
            ("account management", "Account management"),
            ("pipeline management", "Sales forecasting"),
            ("CRM", "Customer relationship management"),
            ("lead generation", "Demand generation"),
            ("HubSpot", "HubSpot"),
            ("key account management", "Account management"),
        ],
        [
            "Closed {n} new accounts using {s}",
            "Beat the annual quota by {n}% through disciplined {s}",
            "Introduced {s} and grew the average deal size by {n}%",
            "Managed a territory of {n} clients with {s}",
        ],
        ["Won the regional award two years in a row", "Coached {n} new sales reps"],
        [
            "Orion Industrial Supplies",
            "Vertex Telecom",
            "Helvetia Packaging AG",
            "Pacific Office Solutions",
        ],
        [("BA", "Business Administration", []), ("BSc", "Management", [])],
        [],
        "Sales leader with a record of opening new markets.",
    ),
    Profession(
        "teaching",
        [
            ("Primary School Teacher", ["Teaching"]),
            ("Secondary Mathematics Teacher", ["Mathematics", "Teaching"]),
            ("English Teacher", ["Teaching"]),
        ],
        [
            ("lesson planning", "Lesson planning"),
            ("classroom management", "Classroom management"),
            ("differentiated instruction", "Differentiated instruction"),
            ("curriculum development", "Curriculum development"),
            ("Google Classroom", "Learning management systems"),
            ("special educational needs", "Special education"),
            ("safeguarding", "Safeguarding"),
            ("student assessment", "Assessment and evaluation"),
            ("parent communication", "Parent communication"),
        ],
        [
            "Planned and taught {n} lessons a week with strong {s}",
            "Raised pass rates by {n}% through {s}",
            "Led {s} for a year group of {n} pupils",
            "Introduced {s} across {n} classes",
        ],
        ["Organised a school trip for {n} pupils", "Ran the after-school chess club"],
        [
            "Oakfield Primary School",
            "Lincoln High School",
            "Colegio San José",
            "Gesamtschule Mitte",
        ],
        [
            ("BEd", "Primary Education", ["Primary education"]),
            ("PGCE", "Secondary Mathematics", ["QTS"]),
        ],
        [("QTS", "QTS")],
        "Teacher who makes every pupil feel capable.",
    ),
    Profession(
        "mechanical",
        [
            ("Mechanical Engineer", ["Mechanical engineering"]),
            ("Design Engineer", []),
            ("Project Engineer", ["Project engineering"]),
        ],
        [
            ("SolidWorks", "SolidWorks"),
            ("AutoCAD", "AutoCAD"),
            ("FEA", "Finite element analysis"),
            ("GD&T", "GD&T"),
            ("Six Sigma", "Six Sigma"),
            ("lean manufacturing", "Lean manufacturing"),
            ("CATIA", "CATIA"),
            ("MATLAB", "MATLAB"),
            ("root cause analysis", "CAPA"),
            ("FMEA", "Reliability engineering"),
            ("prototyping", "Prototyping"),
            ("ANSYS", "Finite element analysis"),
        ],
        [
            "Designed {n} gearbox parts in {s}",
            "Reduced scrap by {n}% using {s}",
            "Validated a new pump housing with {s}, saving {n} test cycles",
            "Applied {s} to a line producing {n} units a day",
        ],
        ["Supported {n} factory acceptance tests", "Worked with suppliers in three countries"],
        ["Bosch Rexroth", "Siemens Energy", "Atlas Pumps Ltd", "Renault Group", "Caterpillar Inc."],
        [
            ("BEng", "Mechanical Engineering", ["Mechanical engineering"]),
            ("MSc", "Mechanical Engineering", ["Mechanical engineering"]),
        ],
        [("Certified SolidWorks Professional", "SolidWorks")],
        "Engineer who takes parts from sketch to series production.",
    ),
    Profession(
        "civil",
        [
            ("Civil Engineer", ["Civil engineering"]),
            ("Site Engineer", []),
            ("Structural Engineer", ["Civil engineering"]),
        ],
        [
            ("AutoCAD", "AutoCAD"),
            ("Revit", "Revit"),
            ("Civil 3D", "AutoCAD Civil 3D"),
            ("structural analysis", "Civil engineering"),
            ("site supervision", "Construction management"),
            ("Primavera P6", "Primavera P6"),
            ("quantity surveying", "Estimating"),
            ("BIM", "Building information modeling"),
            ("Eurocodes", "Building codes"),
            ("reinforced concrete", "Concrete design"),
        ],
        [
            "Delivered {n} bridge inspections with {s}",
            "Managed {s} on a {n} million euro road project",
            "Produced {s} drawings for {n} residential blocks",
            "Cut design time by {n}% with {s}",
        ],
        [
            "Coordinated {n} subcontractors on site",
            "Kept the project on schedule through a wet winter",
        ],
        ["Arup", "VINCI SA", "Balfour Beatty", "Strabag SE", "Ferrovial"],
        [
            ("BEng", "Civil Engineering", ["Civil engineering"]),
            ("MEng", "Structural Engineering", ["Civil engineering"]),
        ],
        [("CSCS card", "CSCS card")],
        "Civil engineer delivering safe structures on time.",
    ),
    Profession(
        "hr",
        [
            ("HR Generalist", ["Human resources"]),
            ("Recruiter", ["Recruiting"]),
            ("HR Business Partner", ["Human resources"]),
        ],
        [
            ("recruitment", "Recruiting"),
            ("onboarding", "Onboarding"),
            ("employee relations", "Employee relations"),
            ("Workday", "Workday"),
            ("payroll", "Payroll"),
            ("performance management", "Performance management"),
            ("employment law", "HR policies"),
            ("interviewing", "Interviewing"),
            ("BambooHR", "BambooHR"),
            ("HRIS", "HRIS"),
        ],
        [
            "Hired {n} people a year through structured {s}",
            "Cut time-to-hire by {n}% with better {s}",
            "Rolled out {s} for {n} employees",
            "Handled {n} cases of {s} each quarter",
        ],
        ["Ran the annual engagement survey", "Supported {n} managers through a reorganisation"],
        ["Talentia Group", "Northern Rail", "Albion Stores Ltd", "Vivid Health"],
        [
            ("BA", "Psychology", ["Psychology"]),
            ("BA", "Human Resource Management", ["Human resources"]),
        ],
        [("CIPD Level 5", "CIPD"), ("SHRM-CP", "SHRM-CP")],
        "People professional who builds fair and fast hiring.",
    ),
    Profession(
        "logistics",
        [
            ("Logistics Coordinator", ["Logistics"]),
            ("Warehouse Supervisor", []),
            ("Supply Chain Analyst", ["Supply chain management"]),
        ],
        [
            ("inventory management", "Inventory management"),
            ("SAP", "SAP"),
            ("warehouse management", "Warehouse management"),
            ("forklift", "Forklift operation"),
            ("demand planning", "Inventory planning"),
            ("Excel", "Microsoft Excel"),
            ("freight forwarding", "Freight forwarding"),
            ("route planning", "Transportation management"),
            ("Incoterms", "Freight forwarding"),
            ("procurement", "Procurement"),
        ],
        [
            "Ran {s} for a site shipping {n} pallets a day",
            "Cut stock errors by {n}% with tighter {s}",
            "Organised {s} for {n} outbound trucks a week",
            "Trained {n} operatives on {s}",
        ],
        [
            "Kept a clean safety record over three years",
            "Covered weekend shifts during peak season",
        ],
        ["DHL Supply Chain", "Kuehne+Nagel", "Maersk", "Tesco Distribution", "Rhenus Logistics"],
        [("BSc", "Logistics", ["Logistics"]), ("Diploma", "Business Studies", [])],
        [("Forklift licence", "Forklift operation")],
        "Hands-on logistics coordinator who keeps goods moving.",
    ),
    Profession(
        "hospitality",
        [
            ("Chef de Partie", []),
            ("Sous Chef", []),
            ("Restaurant Manager", ["Restaurant management"]),
            ("Barista", ["Barista"]),
        ],
        [
            ("food safety", "Food safety"),
            ("HACCP", "Food safety"),
            ("menu planning", "Menu planning"),
            ("stock control", "Inventory management"),
            ("food preparation", "Food preparation"),
            ("pastry", "Baking"),
            ("catering", "Fine dining"),
            ("customer service", "Customer service"),
            ("cash handling", "Cash handling"),
            ("latte art", "Barista"),
        ],
        [
            "Ran the grill section serving {n} covers a night with strict {s}",
            "Cut waste by {n}% through careful {s}",
            "Led {s} for weddings of up to {n} guests",
            "Trained {n} new starters in {s}",
        ],
        ["Kept a five-star hygiene rating", "Opened the second site with a team of {n}"],
        ["The Ivy", "Hotel Adlon Kempinski", "Casa Lucia", "Marriott Hotels", "Le Petit Bistro"],
        [
            ("Diploma", "Culinary Arts", ["Food preparation"]),
            ("NVQ Level 3", "Professional Cookery", ["Food preparation"]),
        ],
        [("Level 2 Food Hygiene", "ServSafe")],
        "Chef who runs a tidy, fast and friendly kitchen.",
    ),
    Profession(
        "legal",
        [
            ("Associate Lawyer", []),
            ("Paralegal", ["Legal administration"]),
            ("Legal Counsel", ["Legal advice"]),
        ],
        [
            ("contract drafting", "Contract drafting"),
            ("legal research", "Legal research"),
            ("litigation", "Litigation"),
            ("due diligence", "Mergers and acquisitions"),
            ("GDPR", "GDPR"),
            ("Westlaw", "Westlaw"),
            ("corporate law", "Corporate law"),
            ("employment law", "HR policies"),
            ("negotiation", "Negotiation"),
            ("intellectual property", "Intellectual property"),
        ],
        [
            "Handled {s} for {n} commercial clients",
            "Led {s} on deals worth {n} million pounds",
            "Cut review time by {n}% with a {s} checklist",
            "Advised on {s} in {n} cross-border matters",
        ],
        ["Supervised {n} trainees", "Wrote the firm's monthly client newsletter"],
        ["Clifford Chance", "Baker McKenzie", "Hengeler Mueller", "Garrigues", "Smith & Cole LLP"],
        [("LLB", "Law", []), ("LLM", "Commercial Law", [])],
        [("Solicitor of England and Wales", "Bar admission")],
        "Commercial lawyer who keeps contracts clear and deals moving.",
    ),
    Profession(
        "trades",
        [
            ("Electrician", ["Electrical work"]),
            ("Maintenance Technician", []),
            ("Plumber", ["Plumbing"]),
        ],
        [
            ("electrical installation", "Electrical installation"),
            ("PLC programming", "PLC programming"),
            ("fault finding", "Troubleshooting"),
            ("preventive maintenance", "Facility maintenance"),
            ("AutoCAD", "AutoCAD"),
            ("18th Edition", "Electrical work"),
            ("PAT testing", "Electrical work"),
            ("health and safety", "Health and safety"),
            ("HVAC", "HVAC"),
            ("welding", "Welding"),
        ],
        [
            "Completed {n} domestic rewires with {s}",
            "Cut machine downtime by {n}% through {s}",
            "Handled {s} across {n} sites",
            "Trained {n} apprentices in {s}",
        ],
        ["Passed every site audit with no findings", "Worked on call one week in four"],
        [
            "Bright Spark Electrical Ltd",
            "FM Solutions",
            "Vattenfall",
            "Bouygues Energies",
            "Jones & Sons Plumbing",
        ],
        [
            ("City & Guilds Level 3", "Electrical Installation", ["Electrical installation"]),
            ("Apprenticeship", "Electrotechnical", []),
        ],
        [("18th Edition", "Electrical work")],
        "Qualified tradesperson with a tidy, safe way of working.",
    ),
    Profession(
        "design",
        [
            ("Graphic Designer", ["Graphic design"]),
            ("UX Designer", ["UX design"]),
            ("Product Designer", ["Product design"]),
        ],
        [
            ("Figma", "Figma"),
            ("Adobe Photoshop", "Adobe Photoshop"),
            ("Illustrator", "Adobe Illustrator"),
            ("InDesign", "Adobe InDesign"),
            ("user research", "User research"),
            ("prototyping", "Prototyping"),
            ("wireframing", "Wireframing"),
            ("typography", "Typography"),
            ("design systems", "Design systems"),
            ("After Effects", "Adobe After Effects"),
            ("branding", "Branding"),
        ],
        [
            "Redesigned the checkout in {s}, lifting conversion by {n}%",
            "Built a {s} library with {n} components",
            "Ran {n} rounds of {s} with real customers",
            "Produced {s} work for {n} campaigns a year",
        ],
        ["Presented concepts to clients every week", "Won a regional award for packaging"],
        ["Studio Nord", "Pixel & Pine", "Spotify", "Agencia Sol", "Blue Fern Design"],
        [
            ("BA", "Graphic Design", ["Graphic design"]),
            ("BDes", "Interaction Design", ["Interaction design"]),
        ],
        [],
        "Designer who cares about clarity and detail.",
    ),
    Profession(
        "projects",
        [
            ("Project Manager", ["Project management"]),
            ("Programme Manager", ["Program management"]),
            ("Scrum Master", ["Scrum"]),
        ],
        [
            ("Agile", "Agile"),
            ("Scrum", "Scrum"),
            ("Jira", "Jira"),
            ("stakeholder management", "Stakeholder management"),
            ("risk management", "Risk management"),
            ("MS Project", "Microsoft Project"),
            ("budgeting", "Budgeting"),
            ("change management", "Change management"),
            ("Confluence", "Confluence"),
            ("PRINCE2", "PRINCE2"),
        ],
        [
            "Delivered {n} projects on time using {s}",
            "Introduced {s} across {n} teams",
            "Managed {s} for a portfolio worth {n} million euros",
            "Cut delivery delays by {n}% with better {s}",
        ],
        ["Reported monthly to the steering committee", "Coordinated {n} vendors"],
        ["Accenture", "Capgemini", "Network Rail", "Allianz", "Telefónica"],
        [("BSc", "Business Management", ["General management"]), ("MBA", "", [])],
        [("PMP", "PMP"), ("PRINCE2 Practitioner", "PRINCE2")],
        "Project manager who makes complex change feel simple.",
    ),
    Profession(
        "lab",
        [
            ("Laboratory Technician", []),
            ("Research Scientist", ["Research"]),
            ("QC Analyst", ["Quality assurance"]),
        ],
        [
            ("HPLC", "Chromatography"),
            ("PCR", "PCR"),
            ("cell culture", "Cell culture"),
            ("GMP", "Good Manufacturing Practice"),
            ("LIMS", "Laboratory information management systems"),
            ("ELISA", "Molecular biology"),
            ("method validation", "Process validation"),
            ("microscopy", "Microscopy"),
            ("data analysis", "Data analysis"),
            ("GraphPad Prism", "Statistics"),
        ],
        [
            "Ran {n} {s} assays a week",
            "Cut turnaround time by {n}% with a new {s} workflow",
            "Validated {s} for {n} products",
            "Kept {s} records for {n} batches",
        ],
        [
            "Passed {n} regulatory inspections",
            "Trained new colleagues on lab safety rules |Laboratory safety",
        ],
        ["Roche", "GSK", "Novartis", "BioNTech", "Lonza"],
        [
            ("BSc", "Biochemistry", ["Biochemistry"]),
            ("MSc", "Molecular Biology", ["Molecular biology"]),
        ],
        [],
        "Scientist with careful, documented lab work.",
    ),
    Profession(
        "admin",
        [
            ("Office Manager", ["Office management"]),
            ("Administrative Assistant", ["Administrative support"]),
            ("Customer Service Representative", ["Customer service"]),
        ],
        [
            ("MS Office", "Microsoft Office"),
            ("Excel", "Microsoft Excel"),
            ("Outlook", "Microsoft Outlook"),
            ("diary management", "Executive support"),
            ("data entry", "Data entry"),
            ("customer service", "Customer service"),
            ("Zendesk", "Zendesk"),
            ("bookkeeping", "Bookkeeping"),
            ("minute taking", "Minute taking"),
            ("Salesforce", "Salesforce"),
        ],
        [
            "Handled {n} customer calls a day with first-rate {s}",
            "Managed {s} for {n} directors",
            "Cut filing backlog by {n}% with better {s} |Filing",
            "Looked after {s} for an office of {n} people",
        ],
        ["Organised the office move for {n} staff", "Welcomed visitors and handled post"],
        ["Harper & Lane", "City Council", "Allianz Direct", "Bupa", "Orange Business"],
        [("Diploma", "Business Administration", []), ("BA", "English Literature", [])],
        [],
        "Organised assistant who keeps busy offices running.",
    ),
]

# ---------------------------------------------------------------------------------------------
# People and places

PEOPLE: dict[str, dict[str, Any]] = {
    "GB": {"first": ["Oliver", "Amelia", "Harry", "Isla", "George", "Priya", "Mohammed", "Chloe"],
           "last": ["Smith", "Jones", "Taylor", "Brown", "Patel", "Wilson", "O'Connor", "Evans"],
           "cities": ["London", "Manchester", "Leeds", "Bristol", "Glasgow"], "country": "United Kingdom",
           "domain": "co.uk", "lang": "en"},
    "US": {"first": ["James", "Emily", "Michael", "Sofia", "Daniel", "Ava", "Carlos", "Grace"],
           "last": ["Johnson", "Williams", "Garcia", "Miller", "Davis", "Martinez", "Nguyen", "Clark"],
           "cities": ["Austin, TX", "Chicago, IL", "Seattle, WA", "Boston, MA", "Denver, CO"], "country": "",
           "domain": "com", "lang": "en"},
    "DE": {"first": ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Tobias", "Sophie"],
           "last": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner"],
           "cities": ["Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main"], "country": "Deutschland",
           "domain": "de", "lang": "de"},
    "FR": {"first": ["Louis", "Camille", "Hugo", "Léa", "Jules", "Chloé", "Antoine", "Manon"],
           "last": ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux"],
           "cities": ["Paris", "Lyon", "Toulouse", "Nantes", "Bordeaux"], "country": "France",
           "domain": "fr", "lang": "fr"},
    "ES": {"first": ["Pablo", "Lucía", "Javier", "Carmen", "Diego", "Elena", "Marta", "Sergio"],
           "last": ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres"],
           "cities": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"], "country": "España",
           "domain": "es", "lang": "es"},
    "IN": {"first": ["Arjun", "Ananya", "Rahul", "Sneha", "Vikram", "Divya", "Karan", "Meera"],
           "last": ["Sharma", "Iyer", "Reddy", "Gupta", "Nair", "Singh", "Kapoor", "Menon"],
           "cities": ["Bengaluru", "Pune", "Hyderabad", "Chennai", "Mumbai"], "country": "India",
           "domain": "in", "lang": "en"},
    "BR": {"first": ["João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Rafael", "Camila"],
           "last": ["Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Lima"],
           "cities": ["São Paulo", "Rio de Janeiro", "Curitiba", "Belo Horizonte"], "country": "Brasil",
           "domain": "com.br", "lang": "pt"},
    "NL": {"first": ["Daan", "Emma", "Sem", "Julia", "Lars", "Sanne", "Bram", "Fleur"],
           "last": ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"],
           "cities": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"], "country": "Nederland",
           "domain": "nl", "lang": "nl"},
}  # fmt: skip

HEADINGS: dict[str, dict[str, list[str]]] = {
    "en": {"summary": ["Profile", "Professional Summary", "Summary", "About Me"],
           "experience": ["Experience", "Work Experience", "Professional Experience", "Employment History"],
           "education": ["Education", "Education & Training"], "skills": ["Skills", "Core Competencies", "Key Skills"],
           "languages": ["Languages"], "certifications": ["Certifications", "Licenses & Certifications"],
           "interests": ["Interests", "Hobbies"]},
    "de": {"summary": ["Profil", "Kurzprofil"], "experience": ["Berufserfahrung", "Beruflicher Werdegang"],
           "education": ["Ausbildung", "Bildungsweg"], "skills": ["Kenntnisse", "Fähigkeiten"],
           "languages": ["Sprachen", "Sprachkenntnisse"], "certifications": ["Zertifikate"], "interests": ["Hobbys"]},
    "fr": {"summary": ["Profil"], "experience": ["Expérience professionnelle", "Expériences"],
           "education": ["Formation"], "skills": ["Compétences"], "languages": ["Langues"],
           "certifications": ["Certifications"], "interests": ["Centres d'intérêt"]},
    "es": {"summary": ["Perfil", "Perfil profesional"], "experience": ["Experiencia laboral", "Experiencia profesional"],
           "education": ["Formación", "Educación"], "skills": ["Habilidades", "Competencias"], "languages": ["Idiomas"],
           "certifications": ["Certificaciones"], "interests": ["Intereses"]},
    "pt": {"summary": ["Perfil"], "experience": ["Experiência profissional"], "education": ["Formação acadêmica"],
           "skills": ["Competências"], "languages": ["Idiomas"], "certifications": ["Certificações"],
           "interests": ["Interesses"]},
    "nl": {"summary": ["Profiel"], "experience": ["Werkervaring"], "education": ["Opleiding"],
           "skills": ["Vaardigheden"], "languages": ["Talen"], "certifications": ["Certificaten"],
           "interests": ["Hobby's"]},
}  # fmt: skip


def _split(text: str) -> list[str]:
    return text.split()


MONTHS = {
    "en": _split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
    "en_long": _split(
        "January February March April May June July August September October November December"
    ),
    "de": _split("Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez."),
    "fr": _split("janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc."),
    "es": _split("ene. feb. mar. abr. may. jun. jul. ago. sep. oct. nov. dic."),
    "pt": _split("jan fev mar abr mai jun jul ago set out nov dez"),
    "nl": _split("jan feb mrt apr mei jun jul aug sep okt nov dec"),
}
PRESENT = {"en": ["Present", "Current", "now"], "de": ["heute", "aktuell"], "fr": ["aujourd'hui", "présent"],
           "es": ["actualidad", "presente"], "pt": ["atual", "o momento"], "nl": ["heden"]}  # fmt: skip
LANG_NAMES = {"en": ("English", "Native"), "de": ("Deutsch", "Muttersprache"), "fr": ("Français", "langue maternelle"),
              "es": ("Español", "nativo"), "pt": ("Português", "nativo"), "nl": ("Nederlands", "moedertaal")}  # fmt: skip
LANG_CANON = {"English": "English", "Deutsch": "German", "Français": "French", "Español": "Spanish",
              "Português": "Portuguese", "Nederlands": "Dutch", "German": "German", "French": "French",
              "Spanish": "Spanish", "Italian": "Italian", "Portuguese": "Portuguese"}  # fmt: skip
INTERESTS = [
    "hiking",
    "chess",
    "running",
    "reading novels",
    "cycling",
    "volunteering at a food bank",
    "baking bread",
]


# ---------------------------------------------------------------------------------------------


@dataclass
class Job:
    title: str
    company: str
    city: str
    start: tuple[int, int]
    end: tuple[int, int] | None
    bullets: list[str]


def _phone(rng: random.Random, region: str) -> tuple[str, str]:
    """A valid random number for the region, formatted the way people write it; (text, E.164)."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    national = str(example.national_number)
    for _ in range(200):
        digits = national[:3] + "".join(rng.choice("0123456789") for _ in national[3:])
        num = phonenumbers.PhoneNumber(
            country_code=example.country_code, national_number=int(digits)
        )
        if phonenumbers.is_valid_number(num):
            break
    else:
        num = example
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    style = rng.randrange(4)
    if style == 0:
        text = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    elif style == 1:
        text = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    elif style == 2:
        text = e164
    else:
        text = phonenumbers.format_number(
            num, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        ).replace(" ", "-")
        text = text.replace("+-", "+")
    return text, e164


def _month_index(ym: tuple[int, int]) -> int:
    return ym[0] * 12 + ym[1] - 1


def _years(jobs: list[Job], year_only: bool) -> float:
    now = TODAY.year * 12 + TODAY.month - 1 + min(TODAY.day, 30) / 30
    spans: list[tuple[float, float]] = []
    for j in jobs:
        s: float
        e: float
        if year_only:
            s = j.start[0] * 12
            e = now if j.end is None else j.end[0] * 12 + 12  # through December
            if j.end is not None and j.end[0] <= j.start[0]:
                e = s + 6
        else:
            s = _month_index(j.start)
            e = now if j.end is None else _month_index(j.end) + 1
        spans.append((s, min(e, now)))
    spans.sort()
    merged: list[list[float]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return round(sum(hi - lo for lo, hi in merged) / 12, 1)


def _fmt_date(ym: tuple[int, int] | None, style: str, lang: str, rng_present: str) -> str:
    if ym is None:
        return rng_present
    y, m = ym
    if style == "mon":
        return f"{MONTHS[lang if lang in MONTHS else 'en'][m - 1]} {y}"
    if style == "long":
        return f"{MONTHS['en_long'][m - 1]} {y}"
    if style == "slash":
        return f"{m:02d}/{y}"
    if style == "dot":
        return f"{m:02d}.{y}"
    if style == "iso":
        return f"{y}-{m:02d}"
    return str(y)


@dataclass
class CV:
    ident: str
    layout: str
    lang: str
    name: str
    email: str
    phone: str
    phone_e164: str
    location: str
    linkedin: str | None
    headings: dict[str, str]
    summary: str | None
    jobs: list[Job]
    date_style: str
    present: str
    skills_list: list[str]
    education: list[tuple[str, str, int, int]]
    certs: list[str]
    languages: list[str]
    interests: list[str]
    truth_skills: set[str]
    years: float

    def date_range(self, job: Job) -> str:
        sep = " – " if self.date_style != "slash" else " - "
        return (
            _fmt_date(job.start, self.date_style, self.lang, "")
            + sep
            + _fmt_date(job.end, self.date_style, self.lang, self.present)
        )

    def sections(self) -> list[str]:
        out = []
        if self.summary:
            out.append("summary")
        out += ["experience", "education", "skills"]
        if self.certs:
            out.append("certifications")
        if self.languages:
            out.append("languages")
        if self.interests:
            out.append("interests")
        return out

    def truth(self) -> dict[str, Any]:
        return {
            "id": self.ident,
            "layout": self.layout,
            "language": self.lang,
            "name": self.name,
            "email": self.email,
            "phone_e164": self.phone_e164,
            "years": self.years,
            "sections": self.sections(),
            "skills": sorted(self.truth_skills),
        }


def make_cv(rng: random.Random, ident: str, layout: str, prof: Profession, region: str) -> CV:
    people = PEOPLE[region]
    lang = people["lang"] if rng.random() < 0.6 else "en"
    first, last = rng.choice(people["first"]), rng.choice(people["last"])
    name = f"{first} {last}"
    mail_local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    mail_local = mail_local.translate(str.maketrans("üöäéèáíóúçãñ", "uoaeeaioucan"))
    email = f"{mail_local}@{rng.choice(['gmail.com', 'outlook.com', 'mail.' + people['domain'], 'proton.me'])}"
    phone, e164 = _phone(rng, region)
    city = rng.choice(people["cities"])
    location = f"{city}, {people['country']}" if people["country"] else city
    linkedin = f"linkedin.com/in/{mail_local.replace('.', '-')}" if rng.random() < 0.6 else None
    headings = {k: rng.choice(v) for k, v in HEADINGS[lang].items()}
    truth: set[str] = set()

    pool = list(prof.skills)
    rng.shuffle(pool)
    listed = pool[: rng.randint(6, min(12, len(pool)))]
    unlisted = pool[len(listed) :]
    skills_list = [s for s, _ in listed]
    truth.update(c for _, c in listed)

    long_cv = rng.random() < 0.3
    n_jobs = rng.choice([5, 6, 7]) if long_cv else rng.choice([1, 2, 2, 3, 3, 4])
    bullet_range = (4, 7) if long_cv else (2, 5)
    date_style = rng.choice(["mon", "mon", "slash", "iso", "year", "long", "dot"])
    if lang != "en" and date_style == "long":
        date_style = "mon"
    present = rng.choice(PRESENT[lang])
    jobs: list[Job] = []
    cursor = (TODAY.year, TODAY.month)
    current = rng.random() < 0.7
    for i in range(n_jobs):
        length = rng.randint(8, 60)
        gap = 0 if i == 0 and current else rng.randint(0, 6)
        if rng.random() < 0.15 and i > 0:
            gap = -rng.randint(3, 10)  # overlapping side job
        end_idx = cursor[0] * 12 + cursor[1] - 1 - gap
        start_idx = end_idx - length
        end = None if (i == 0 and current) else (end_idx // 12, end_idx % 12 + 1)
        start = (start_idx // 12, start_idx % 12 + 1)
        title, title_skills = rng.choice(prof.titles)
        truth.update(title_skills)
        bullets: list[str] = []
        for _ in range(rng.randint(*bullet_range)):
            if rng.random() < 0.7:
                template = rng.choice(prof.bullets)
                src = unlisted if unlisted and rng.random() < 0.4 else listed
                surface, canon = rng.choice(src)
                truth.add(canon)
                text = template.format(s=surface, n=rng.choice([3, 5, 8, 12, 15, 20, 25, 40, 120]))
            else:
                text = rng.choice(prof.plain_bullets).format(n=rng.choice([2, 4, 6, 10, 30]))
            text, _, tags = text.partition(" |")
            if text in bullets:
                continue
            truth.update(t for t in tags.split(";") if t)
            bullets.append(text)
        jobs.append(
            Job(
                title,
                rng.choice(prof.companies),
                rng.choice(people["cities"]).split(",")[0],
                start,
                end,
                bullets,
            )
        )
        cursor = (start_idx // 12, start_idx % 12 + 1)
    years = _years(jobs, date_style == "year")

    degree, area, area_skills = rng.choice(prof.degrees)
    truth.update(area_skills)
    grad = jobs[-1].start[0] - rng.randint(0, 2)
    uni = rng.choice(["University of Leeds", "Technische Universität München", "Université de Lyon",
                      "Universidad de Sevilla", "Universidade de São Paulo", "Universiteit Utrecht",
                      "University of Texas at Austin", "University of Mumbai", "Hochschule Hannover"])  # fmt: skip
    education = [(degree, area, grad - 3, grad)]
    certs = []
    if prof.certs and rng.random() < 0.6:
        for surface, canon in rng.sample(prof.certs, k=rng.randint(1, len(prof.certs))):
            certs.append(surface)
            truth.add(canon)
    languages = []
    if rng.random() < 0.75:
        native, level = LANG_NAMES[people["lang"]]
        languages.append(f"{native} ({level})")
        truth.add(LANG_CANON[native])
        if people["lang"] != "en":
            languages.append(rng.choice(["English (C1)", "English (fluent)", "English (B2)"]))
            truth.add("English")
        else:
            other = rng.choice(["French", "Spanish", "German", "Italian"])
            languages.append(f"{other} ({rng.choice(['B1', 'conversational', 'intermediate'])})")
            truth.add(LANG_CANON[other])
    interests = rng.sample(INTERESTS, 2) if rng.random() < 0.4 else []
    summary: str | None = None
    if rng.random() < 0.8:
        summary, _, tags = prof.summary.partition(" |")
        truth.update(t for t in tags.split(";") if t)
    cv = CV(ident, layout, lang, name, email, phone, e164, location, linkedin, headings, summary, jobs,
            date_style, present, skills_list, [(degree, area, s, e) for degree, area, s, e in education],
            certs, languages, interests, truth, years)  # fmt: skip
    cv.education = [
        (f"{degree}{' in ' + area if area else ''}", uni, s, e) for degree, area, s, e in education
    ]
    return cv


# ---------------------------------------------------------------------------------------------
# Rendering

TYPST_ONE_COLUMN = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: d.paper, margin: (x: 1.7cm, y: 1.5cm))
#set text(font: d.font, size: 10pt)
#set par(justify: false)
#let heading-style(t) = block(above: 1.1em, below: 0.5em)[#text(weight: "bold", size: 11.5pt, fill: rgb("#1f3a5f"))[#if d.caps [#upper(t)] else [#t]] #v(-0.6em) #line(length: 100%, stroke: 0.5pt)]
#align(center)[#text(size: 20pt, weight: "bold")[#d.name] \\ #d.contact.join("  |  ")]
#for s in d.sections [
  #heading-style(s.heading)
  #for b in s.blocks [
    #if b.t == "p" [#b.text #parbreak()]
    #if b.t == "list" [#b.items.join(", ") #parbreak()]
    #if b.t == "lines" [#for it in b.items [#it \\ ]]
    #if b.t == "entry" [
      #block(below: 0.4em)[*#b.title*#if b.sub != "" [, #b.sub] #h(1fr) #b.dates]
      #for x in b.bullets [- #x
      ]
    ]
  ]
]
"""

TYPST_TWO_COLUMN = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: d.paper, margin: 1.3cm)
#set text(font: d.font, size: 9.5pt)
#let hd(t) = block(above: 1em, below: 0.45em)[#text(weight: "bold", size: 11pt)[#upper(t)]]
#let render(blocks) = for b in blocks [
  #if b.t == "p" [#b.text #parbreak()]
  #if b.t == "list" [#for it in b.items [#it \\ ]]
  #if b.t == "lines" [#for it in b.items [#it \\ ]]
  #if b.t == "entry" [
    #block(below: 0.3em)[*#b.title* \\ #b.sub \\ #text(style: "italic")[#b.dates]]
    #for x in b.bullets [- #x
    ]
  ]
]
#grid(columns: (32%, 1fr), column-gutter: 18pt,
  [
    #text(size: 17pt, weight: "bold")[#d.name]
    #v(0.3em)
    #for c in d.contact [#c \\ ]
    #for s in d.side [#hd(s.heading) #render(s.blocks)]
  ],
  [#for s in d.sections [#hd(s.heading) #render(s.blocks)]]
)
"""

TYPST_DATES_LEFT = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: d.paper, margin: 2cm)
#set text(font: d.font, size: 10pt)
#text(size: 18pt, weight: "bold")[#d.name]
#v(-0.4em)
#d.contact.join(" · ")
#for s in d.sections [
  #block(above: 1.2em, below: 0.6em)[#text(size: 12pt, weight: "bold")[#s.heading]]
  #for b in s.blocks [
    #if b.t == "p" [#b.text #parbreak()]
    #if b.t == "list" [#b.items.join(" • ") #parbreak()]
    #if b.t == "lines" [#for it in b.items [#it \\ ]]
    #if b.t == "entry" [
      #grid(columns: (26%, 1fr), column-gutter: 10pt, row-gutter: 4pt,
        [#b.dates],
        [*#b.title* \\ #b.sub #for x in b.bullets [- #x
        ]])
    ]
  ]
]
"""


def _blocks(cv: CV, key: str, entry_sub_sep: str = ", ") -> list[dict[str, Any]]:
    if key == "summary":
        return [{"t": "p", "text": cv.summary or ""}]
    if key == "experience":
        return [
            {"t": "entry", "title": j.title, "sub": f"{j.company}{entry_sub_sep}{j.city}",
             "dates": cv.date_range(j), "bullets": j.bullets}
            for j in cv.jobs
        ]  # fmt: skip
    if key == "education":
        return [
            {"t": "entry", "title": deg, "sub": uni, "dates": f"{s} – {e}", "bullets": []}
            for deg, uni, s, e in cv.education
        ]
    if key == "skills":
        return [{"t": "list", "items": cv.skills_list}]
    if key == "certifications":
        return [{"t": "lines", "items": cv.certs}]
    if key == "languages":
        return [{"t": "lines", "items": cv.languages}]
    if key == "interests":
        return [{"t": "p", "text": ", ".join(cv.interests)}]
    raise KeyError(key)


def _contact(cv: CV) -> list[str]:
    out = [cv.email, cv.phone, cv.location]
    if cv.linkedin:
        out.append(cv.linkedin)
    return out


def render_typst(cv: CV, rng: random.Random) -> bytes:
    import typst

    font = rng.choice(["DejaVu Sans", "DejaVu Serif", "Libertinus Serif", "New Computer Modern"])
    data: dict[str, Any] = {
        "name": cv.name,
        "contact": _contact(cv),
        "paper": rng.choice(["a4", "us-letter"]),
        "font": font,
        "caps": rng.random() < 0.5,
    }
    if cv.layout == "pdf-two-column":
        side_keys: list[str] = [
            k for k in ("skills", "languages", "certifications") if k in cv.sections()
        ]
        main_keys = [k for k in cv.sections() if k not in side_keys]
        data["side"] = [{"heading": cv.headings[k], "blocks": _blocks(cv, k)} for k in side_keys]
        data["sections"] = [
            {"heading": cv.headings[k], "blocks": _blocks(cv, k)} for k in main_keys
        ]
        template = TYPST_TWO_COLUMN
    else:
        data["sections"] = [
            {"heading": cv.headings[k], "blocks": _blocks(cv, k)} for k in cv.sections()
        ]
        template = TYPST_DATES_LEFT if cv.layout == "pdf-dates-left" else TYPST_ONE_COLUMN
    return bytes(
        typst.compile(template.encode(), format="pdf", sys_inputs={"data": json.dumps(data)})
    )


def render_docx(cv: CV, rng: random.Random) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = rng.choice(["Calibri", "Arial", "Georgia"])
    style.font.size = Pt(10.5)
    contact_line = "  |  ".join(_contact(cv))

    def heading(container: Any, text: str) -> None:
        if container is document and rng.random() < 0.6:
            document.add_heading(text, level=1)
        else:
            p = container.add_paragraph()
            run = p.add_run(text.upper())
            run.bold = True
            run.font.size = Pt(12)

    def write(container: Any, key: str) -> None:
        heading(container, cv.headings[key])
        for b in _blocks(cv, key, " — "):
            if b["t"] == "p":
                container.add_paragraph(b["text"])
            elif b["t"] == "list":
                container.add_paragraph(", ".join(b["items"]))
            elif b["t"] == "lines":
                for item in b["items"]:
                    container.add_paragraph(item)
            else:
                p = container.add_paragraph()
                p.add_run(b["title"]).bold = True
                p.add_run(f", {b['sub']}\t{b['dates']}")
                for bullet in b["bullets"]:
                    container.add_paragraph(bullet, style="List Bullet")

    if cv.layout == "docx-table":
        header = document.sections[0].header
        header.paragraphs[0].text = contact_line
        title = document.add_paragraph()
        run = title.add_run(cv.name)
        run.bold = True
        run.font.size = Pt(20)
        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        side_keys: list[str] = [
            k for k in ("skills", "languages", "certifications") if k in cv.sections()
        ]
        for k in side_keys:
            write(left, k)
        for k in cv.sections():
            if k not in side_keys:
                write(right, k)
    else:
        title = document.add_paragraph()
        run = title.add_run(cv.name)
        run.bold = True
        run.font.size = Pt(20)
        document.add_paragraph(contact_line)
        for k in cv.sections():
            write(document, k)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


LAYOUTS = [
    "pdf-one-column",
    "pdf-two-column",
    "pdf-dates-left",
    "docx-simple",
    "docx-table",
    "pdf-one-column",
]


def generate(out_dir: Path, count: int = 48, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    regions = list(PEOPLE)
    truths = []
    for i in range(count):
        layout = LAYOUTS[i % len(LAYOUTS)]
        prof = PROFESSIONS[i % len(PROFESSIONS)]
        region = regions[(i * 3) % len(regions)]
        cv = make_cv(rng, f"cv{i:03d}-{prof.key}", layout, prof, region)
        data = render_docx(cv, rng) if layout.startswith("docx") else render_typst(cv, rng)
        ext = "docx" if layout.startswith("docx") else "pdf"
        path = out_dir / f"{cv.ident}.{ext}"
        path.write_bytes(data)
        truth = cv.truth()
        truth["file"] = path.name
        truths.append(truth)
    (out_dir / "truth.json").write_text(json.dumps(truths, indent=1, ensure_ascii=False), "utf-8")
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    truths = generate(args.out, args.count, args.seed)
    print(f"wrote {len(truths)} CVs to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

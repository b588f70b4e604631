"""Reading job ads: structure (``structure``), stated facts (``fields``) and the whole
parse (``posting``). Imports only the shared layers below it (skills, contact)."""

from resumate.ai.jobs.posting import JobPosting, parse_posting, skill_id, skill_ids

__all__ = ["JobPosting", "parse_posting", "skill_id", "skill_ids"]

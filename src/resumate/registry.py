"""Where features are listed: their tables (for Alembic and tests) and their job tasks."""

from __future__ import annotations

import importlib

MODEL_MODULES: tuple[str, ...] = (
    "resumate.core.mail",
    "resumate.modules.users.models",
    "resumate.modules.auth.models",
    "resumate.modules.templates.models",
    "resumate.modules.resumes.models",
    "resumate.modules.analytics.models",
    "resumate.modules.embeddings.models",
    "resumate.modules.cvs.models",
    "resumate.modules.jobs.models",
    "resumate.modules.billing.models",
    "resumate.modules.notifications.models",
)
TASK_MODULES: tuple[str, ...] = (
    "resumate.core.mail",
    "resumate.modules.auth.tasks",
    "resumate.modules.cvs.tasks",
    "resumate.modules.notifications.tasks",
    # Not tasks: billing's listener (notifications and analytics of billing events).
    "resumate.modules.notifications.hooks",
    "resumate.modules.analytics.tasks",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


def import_all_tasks() -> None:
    for name in TASK_MODULES:
        importlib.import_module(name)

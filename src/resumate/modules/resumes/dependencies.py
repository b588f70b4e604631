from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from resumate.core.db import SessionDep
from resumate.modules.auth.dependencies import (
    CurrentUser,
    access_claims,
    mark_user,
    oauth2_scheme,
)
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.models import Resume


async def owned_resume(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Resume:
    """The resume with this id if it is mine; 404 otherwise (never revealing it exists)."""
    return await resume_service.get_owned(session, user_id=user.id, resume_id=id)


async def owned_resume_with_template(
    id: uuid.UUID,
    request: Request,
    session: SessionDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> resume_service.ResumeToRender:
    """``owned_resume`` with the same checks as ``CurrentUser`` first (token, CSRF for the
    cookie, session not revoked or expired, account active: 401), in one query that also
    loads the resume's template (for the routes that render)."""
    claims, _via_cookie = access_claims(request, bearer)
    user, owned = await resume_service.get_owned_with_principal(
        session, claims=claims, resume_id=id
    )
    mark_user(request, user)
    return owned


OwnedResume = Annotated[Resume, Depends(owned_resume)]
OwnedResumeWithTemplate = Annotated[
    resume_service.ResumeToRender, Depends(owned_resume_with_template)
]

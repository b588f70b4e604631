from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from resumate.core.db import SessionDep
from resumate.modules.auth.dependencies import CallerClaims, CurrentUser, mark_user, mark_user_id
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.models import Resume


async def owned_resume(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Resume:
    """The resume with this id if it is mine; 404 otherwise (never revealing it exists)."""
    return await resume_service.get_owned(session, user_id=user.id, resume_id=id)


async def owned_resume_to_read(
    id: uuid.UUID, request: Request, session: SessionDep, claims: CallerClaims
) -> Resume:
    """``owned_resume`` in one query with the checks of ``CurrentUser`` (token, CSRF for the
    cookie, session not revoked or expired, account active: 401), without a transaction: for
    routes that only read."""
    user, owned = await resume_service.get_owned_with_principal(
        session, claims=claims, resume_id=id, with_template=False
    )
    mark_user(request, user)
    return owned.resume


async def owned_resume_with_template(
    id: uuid.UUID, request: Request, session: SessionDep, claims: CallerClaims
) -> resume_service.ResumeToRender:
    """``owned_resume_to_read`` that also loads the resume's template, for the routes that
    render (they read, then write, if at all, in a transaction of their own after the
    render)."""
    user, owned = await resume_service.get_owned_with_principal(
        session, claims=claims, resume_id=id
    )
    mark_user(request, user)
    return owned


async def owned_resume_for_pdf(
    id: uuid.UUID, request: Request, session: SessionDep, claims: CallerClaims
) -> resume_service.PdfTarget:
    """What ``POST /{id}/pdf`` renders, read with the caller in one query (``load_for_pdf``:
    the checks of ``CurrentUser``, then 404 for a resume that is not theirs), without a
    transaction; the newest stored PDF of its document comes with it."""
    user_id, target = await resume_service.load_for_pdf(session, claims=claims, resume_id=id)
    mark_user_id(request, user_id)
    return target


OwnedResume = Annotated[Resume, Depends(owned_resume)]
OwnedResumeToRead = Annotated[Resume, Depends(owned_resume_to_read)]
OwnedResumeWithTemplate = Annotated[
    resume_service.ResumeToRender, Depends(owned_resume_with_template)
]
OwnedResumeForPdf = Annotated[resume_service.PdfTarget, Depends(owned_resume_for_pdf)]

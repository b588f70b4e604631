from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from resumate.core.db import SessionDep
from resumate.modules.auth.dependencies import CurrentUser
from resumate.modules.resumes import service as resume_service
from resumate.modules.resumes.models import Resume


async def owned_resume(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Resume:
    """The resume with this id if it is mine; 404 otherwise (never revealing it exists)."""
    return await resume_service.get_owned(session, user_id=user.id, resume_id=id)


OwnedResume = Annotated[Resume, Depends(owned_resume)]

"""Reads for the upload page: an upload for its uploader alone."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .kinds import KINDS
from .models import Upload


def upload_for(member, code) -> Upload:
    """The upload with this code if ``member`` uploaded it (another organizer's file is not
    theirs to see: 404), and may still import its kind (403)."""
    try:
        code = code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except ValueError:
        raise Http404("No such upload") from None
    upload = Upload.objects.filter(code=code, uploaded_by_id=member.pk).first()
    if upload is None:
        raise Http404("No such upload")
    kind = KINDS.get(upload.kind)
    if kind is None or not kind.may_import(member):
        raise PermissionDenied
    return upload

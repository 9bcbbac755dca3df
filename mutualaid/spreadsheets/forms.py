"""The upload page's forms, and the upload handler that keeps a file off the disk."""

import io

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from .reading import MAX_BYTES
from .services import LOOKUP_MAX_BYTES

LIMITS = {"file": MAX_BYTES, "lookup": LOOKUP_MAX_BYTES}


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory, never in a temporary file on the disk (where a sheet of
    addresses would lie in the clear), up to its field's limit (``LIMITS``); a larger one is
    dropped, and its field named in ``too_large``."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large: set[str] = set()
        self.buffer = io.BytesIO()

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > LIMITS.get(self.field_name, 0):
            self.too_large.add(self.field_name)
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("The CSV file"),
        help_text=_(
            "From Google Sheets or Google Forms: File › Download › Comma-separated values. From "
            "Airtable: Download CSV. Up to 20 MB."
        ),
    )
    lookup = forms.FileField(
        label=_("Streets and postcodes to areas (optional)"),
        required=False,
        help_text=_(
            "A CSV with a column “area” and a column “street”, “postcode” or “lat” and “lon”, "
            "one line each. A row's address, postcode or coordinates find its area through it; "
            "they are never stored."
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].name


class MappingForm(forms.Form):
    """Which field each column of the file fills (or none), and, for needs and members, the
    organizer's word that the people in the file agreed to be recorded."""

    consent_label = _(
        "The people in this file agreed that the network records them and contacts them "
        "(they filled in our form, or said so)."
    )

    def __init__(self, *args, kind, headers, mapping, consent=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        choices = [("", _("Not imported"))] + [(c.name, c.choice_label) for c in kind.columns]
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)d") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )
        if kind.needs_consent:
            self.fields["consent"] = forms.BooleanField(
                label=self.consent_label, required=False, initial=consent
            )

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, int] = {}
        for index in range(len(self.headers)):
            name = cleaned.get(f"column_{index}")
            if not name:
                continue
            if self.kind.column(name).join is None and name in chosen:
                self.add_error(
                    f"column_{index}",
                    _("“%(field)s” is already chosen for another column.")
                    % {"field": self.kind.column(name).label},
                )
            chosen[name] = index
        return cleaned

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(f"column_{index}") or "" for index in range(len(self.headers))
        ]

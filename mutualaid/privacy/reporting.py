from django.views.debug import SafeExceptionReporterFilter


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (to ADMINS, or any handler that builds one) hold no private text.

    Members type private details, messages and contacts into forms, so every POST value is masked,
    and so are the local variables of every frame, where the same text may sit decrypted.
    """

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
